"""Load JSON or YAML text into plain data with a source map."""

from __future__ import annotations

from .document import Document
from .errors import DuplicateKey, LoadError
from .positions import LineIndex, Span
from .sourcemap import Location, PrefixedSourceMap, SourceMap
from .templates import directives_blanked

__all__ = ["Document", "DuplicateKey", "LineIndex", "LoadError", "Location", "PrefixedSourceMap", "SourceMap",
           "Span", "load_document", "load_documents", "load_template_document", "detect_format"]


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
        from .hcl import load_hcl_document  # here, not at the top: tree-sitter loads only for Terraform

        return [load_hcl_document(text, filename)]
    if (filename or "").lower().endswith(TEMPLATE_SUFFIXES):
        text = directives_blanked(text)
        fmt = detect_format(text, None)
    if fmt == "json":
        return [load_document(text, filename, fmt)]
    from .yaml_loader import YamlReader

    reader = YamlReader(text)
    return [Document(data, sourcemap, "yaml", duplicates, text=text, strings=reader.strings)
            for data, sourcemap, duplicates in reader.read_all()]


def load_template_document(text: str, filename: str | None = None) -> Document:
    """A file `templatefile()` reads: JSON or YAML once its directives are blanked."""
    return load_document(directives_blanked(text), filename)
