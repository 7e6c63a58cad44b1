"""Find the state machines in a loaded document, whatever kind of file holds them."""

from __future__ import annotations

from ..files import References
from ..source import Document
from . import asl_file, cloudformation, serverless
from .base import Extraction, Host, Note, shape_problem

KINDS = ("asl", "cloudformation", "serverless", "terraform")
_EXTRACTORS = {"asl": asl_file.extract, "cloudformation": cloudformation.extract,
               "serverless": serverless.extract}


def detect_kind(data: object) -> str | None:
    """What a file is, from its content alone (its name says little: template.yaml, x.yml)."""
    if cloudformation.state_machine_resources(data):
        return "cloudformation"
    if isinstance(data, dict) and ("resource" in data or "module" in data):
        from .terraform import looks_like_terraform_json

        if looks_like_terraform_json(data):
            return "terraform"
    if serverless.looks_like_serverless(data):
        return "serverless"
    if asl_file.looks_like_asl(data):
        return "asl"
    if cloudformation.looks_like_template(data):
        return "cloudformation"
    return None


def extract_definitions(document: Document, file: str, kind: str | None = None,
                        references: References | None = None) -> Extraction:
    host = Host(document, file, references or References())
    if document.format == "hcl":
        from .terraform import extract

        return extract(host)
    kind = kind or detect_kind(document.data)
    if kind is None or not isinstance(document.data, dict):
        return Extraction(None)
    if kind == "terraform":
        from .terraform import extract_json

        return extract_json(host)
    return _EXTRACTORS[kind](host)


__all__ = ["KINDS", "Extraction", "Note", "detect_kind", "extract_definitions", "shape_problem"]
