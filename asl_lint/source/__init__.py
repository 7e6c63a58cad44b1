"""Load JSON or YAML text into plain data with a source map."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import DuplicateKey, LoadError
from .positions import LineIndex, Span
from .sourcemap import Location, PrefixedSourceMap, SourceMap

__all__ = ["Document", "DuplicateKey", "LineIndex", "LoadError", "Location", "PrefixedSourceMap", "SourceMap",
           "Span", "load_document", "load_documents", "detect_format"]


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


TEMPLATE_SUFFIXES = (".tftpl", ".tpl")  # Terraform templatefile() templates: JSON or YAML within


def detect_format(text: str, filename: str | None = None) -> str:
    name = (filename or "").lower()
    if name.endswith((".tf", ".tfvars")):
        return "hcl"
    if name.endswith((".json", ".json5")):
        return "json"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    stripped = text.lstrip("\ufeff \t\r\n")
    return "json" if stripped[:1] in ("{", "[") else "yaml"


def load_document(text: str, filename: str | None = None, fmt: str | None = None) -> Document:
    """Read `text` as JSON or YAML; raises LoadError with an offset into `text`."""
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # keep offsets: a BOM counts as nothing but keeps its place
    fmt = fmt or detect_format(text, filename)
    if fmt == "json":
        from .json_loader import read_json

        data, sourcemap, duplicates, placeholders = read_json(text)
        return Document(data, sourcemap, "json", duplicates, placeholders, text)
    from .yaml_loader import YamlReader

    yaml_reader = YamlReader(text)
    data = yaml_reader.read()
    return Document(data, yaml_reader.sourcemap, "yaml", yaml_reader.duplicates, text=text,
                    strings=yaml_reader.strings)


def load_documents(text: str, filename: str | None = None, fmt: str | None = None) -> list[Document]:
    """Every document of the text: one for JSON and HCL, each of a YAML stream (`---`)."""
    if text.startswith("\ufeff"):
        text = " " + text[1:]
    fmt = fmt or detect_format(text, filename)
    if fmt == "hcl":
        from ..extract.terraform import load_hcl_document

        return [load_hcl_document(text, filename)]
    if (filename or "").lower().endswith(TEMPLATE_SUFFIXES):
        from ..extract.terraform import _directives_blanked

        text = _directives_blanked(text)
        fmt = detect_format(text, None)
    if fmt == "json":
        return [load_document(text, filename, fmt)]
    from .yaml_loader import YamlReader

    reader = YamlReader(text)
    return [Document(data, sourcemap, "yaml", duplicates, text=text, strings=reader.strings)
            for data, sourcemap, duplicates in reader.read_all()]
