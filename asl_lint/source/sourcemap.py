"""Where each member of a loaded document sits in its file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .positions import LineIndex, Span

Path = tuple  # tuple[str | int, ...]: keys and list indexes from the document root
Anchor = Literal["key", "value", "member"]


@dataclass(slots=True)
class Location:
    """Character offsets of a member: its key (None for the root and list items) and value."""

    value_start: int
    value_end: int
    key_start: int | None = None
    key_end: int | None = None


@dataclass
class SourceMap:
    """Path -> Location side table; the data itself stays plain dicts, lists and scalars."""

    index: LineIndex
    locations: dict[tuple, Location] = field(default_factory=dict)

    def add(self, path: tuple, location: Location) -> None:
        self.locations[path] = location

    def span(self, path: tuple, anchor: Anchor = "value") -> Span | None:
        """The span of `path`, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            location = self.locations.get(probe)
            if location is not None:
                return self._span_of(location, anchor if probe == tuple(path) else "key")
            if not probe:
                return None
            probe = probe[:-1]

    def _span_of(self, location: Location, anchor: Anchor) -> Span:
        if anchor == "value" or location.key_start is None:
            return self.index.span(location.value_start, location.value_end)
        if anchor == "key":
            return self.index.span(location.key_start, location.key_end or location.key_start)
        return self.index.span(location.key_start, location.value_end)
