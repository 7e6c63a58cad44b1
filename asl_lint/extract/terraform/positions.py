"""Where an evaluated value came from: the places of HCL nodes, found only when a
diagnostic asks, and the one place of a definition written inside a single string."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...source import Location
from ...source.sourcemap import OnDemandLocations
from ...source.hcl import HclFile
from ..base import Host


class NodeLocations(OnDemandLocations):
    """Locations made from the syntax nodes of each value the first time they are asked for."""

    def __init__(self, hcl: HclFile) -> None:
        super().__init__()
        self.hcl = hcl
        self.nodes: dict[tuple, tuple] = {}  # path -> (value node, key node or None)

    def _find(self, path: tuple) -> Location | None:
        if path not in self.nodes:
            return None
        node, key = self.nodes[path]
        hcl = self.hcl
        return Location(hcl.start(node), hcl.end(node), *((hcl.start(key), hcl.end(key)) if key else ()))

    def _every(self) -> dict:
        return {path: self._find(path) for path in self.nodes}


@dataclass
class AtOneSpan:
    """Every position of a definition written inside one JSON string: that string's."""

    index: object
    host: Host
    at: tuple
    locations: dict = field(default_factory=dict)

    def span(self, path: tuple, anchor: str = "value"):
        return self.host.span(self.at)

    def span_within(self, path: tuple, decoded: str, start: int, end: int):
        return self.host.span(self.at)

    def add(self, path: tuple, location) -> None:
        self.locations[path] = location
