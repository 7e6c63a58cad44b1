"""Where each member of a loaded document sits in its file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .positions import LineIndex, Span
from .scalars import OffsetMap, scalar_offset_map

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
        offsets = self.offsets(path, anchor)
        return None if offsets is None else self.index.span(*offsets)

    def span_within(self, path: tuple, decoded: str, start: int, end: int) -> Span | None:
        """Characters start..end of the string value at `path`, or the whole value."""
        to_text = offset_map(self, path, decoded)
        first = to_text(start) if to_text else None
        last = to_text(end) if to_text else None
        if first is None or last is None:
            return self.span(path)
        return self.index.span(first, max(first, last))

    def offsets(self, path: tuple, anchor: Anchor = "value") -> tuple[int, int] | None:
        """Start and end offsets of `path` (or of its nearest located ancestor's key)."""
        probe = tuple(path)
        while True:
            location = self.locations.get(probe)
            if location is not None:
                return _offsets_of(location, anchor if probe == tuple(path) else "key")
            if not probe:
                return None
            probe = probe[:-1]


def offset_map(sourcemap, path: tuple, decoded: str) -> OffsetMap | None:
    """Offsets in the decoded string at `path` -> offsets in the text, where exact."""
    location = sourcemap.locations.get(tuple(path))
    return None if location is None else scalar_offset_map(sourcemap.index, location, decoded)


def _offsets_of(location: Location, anchor: Anchor) -> tuple[int, int]:
    if anchor == "value" or location.key_start is None:
        return location.value_start, location.value_end
    if anchor == "key":
        return location.key_start, location.key_end or location.key_start
    return location.key_start, location.value_end


class OnDemandLocations(dict):
    """Path -> Location, each found the first time it is asked for (a clean definition
    asks for none); every one of them when the mapping is enumerated. Subclasses say how
    to find one (`_find`) and all (`_every`)."""

    _complete = False

    def _find(self, path: tuple) -> Location | None:
        raise NotImplementedError

    def _every(self) -> dict:
        raise NotImplementedError

    def _everything(self) -> None:
        if not self._complete:
            for path, location in self._every().items():
                self.setdefault(path, location)
            self._complete = True

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._everything()
        return super().__iter__()

    def __len__(self) -> int:
        self._everything()
        return super().__len__()

    def __contains__(self, path: object) -> bool:
        return self.get(path) is not None

    def keys(self):  # type: ignore[no-untyped-def]
        self._everything()
        return super().keys()

    def items(self):  # type: ignore[no-untyped-def]
        self._everything()
        return super().items()

    def values(self):  # type: ignore[no-untyped-def]
        self._everything()
        return super().values()

    def get(self, path: tuple, default: object = None) -> object:  # type: ignore[override]
        path = tuple(path)
        if not super().__contains__(path):
            found = self._find(path)
            if found is None:
                return default
            self[path] = found
        return self[path]


class PrefixedSourceMap:
    """A definition that sits at `prefix` inside a larger document (a template)."""

    def __init__(self, host: SourceMap, prefix: tuple) -> None:
        self.host, self.prefix = host, tuple(prefix)

    def span(self, path: tuple, anchor: Anchor = "value") -> Span | None:
        return self.host.span(self.prefix + tuple(path), anchor)

    def span_within(self, path: tuple, decoded: str, start: int, end: int) -> Span | None:
        return self.host.span_within(self.prefix + tuple(path), decoded, start, end)
