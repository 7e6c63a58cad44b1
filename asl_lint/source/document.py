"""A loaded file, whatever it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import DuplicateKey
from .sourcemap import SourceMap


@dataclass
class Document:
    """A loaded file: plain data, where each member came from, and what the reader noticed."""

    data: object
    sourcemap: SourceMap
    format: str  # "json" | "yaml"
    duplicates: list[DuplicateKey] = field(default_factory=list)
    placeholders: set[tuple] = field(default_factory=set)  # unquoted ${X} values
    text: str = ""  # what it was read from
    # (start, end) of the YAML scalars that mention asl-lint: a '#' in them is no comment
    strings: list[tuple[int, int]] = field(default_factory=list)
    syntax: object = None  # an HCL file's syntax tree (source.hcl.HclFile); data is None then
