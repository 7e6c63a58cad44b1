"""Find the state machines in a loaded document, whatever kind of file holds them."""

from __future__ import annotations

from ..files import References
from ..source import Document
from . import asl_file, cloudformation, serverless
from .base import Extraction, Host, Note, shape_problem

KINDS = ("asl", "cloudformation", "serverless")
_EXTRACTORS = {"asl": asl_file.extract, "cloudformation": cloudformation.extract,
               "serverless": serverless.extract}


def detect_kind(data: object) -> str | None:
    """What a file is, from its content alone (its name says little: template.yaml, x.yml)."""
    if cloudformation.state_machine_resources(data):
        return "cloudformation"
    if serverless.looks_like_serverless(data):
        return "serverless"
    if asl_file.looks_like_asl(data):
        return "asl"
    if cloudformation.looks_like_template(data):
        return "cloudformation"
    return None


def extract_definitions(document: Document, file: str, kind: str | None = None,
                        references: References | None = None) -> Extraction:
    kind = kind or detect_kind(document.data)
    if kind is None or not isinstance(document.data, dict):
        return Extraction(None)
    return _EXTRACTORS[kind](Host(document, file, references or References()))


__all__ = ["KINDS", "Extraction", "Note", "detect_kind", "extract_definitions", "shape_problem"]
