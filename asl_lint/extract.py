"""Find the state machines in a loaded document."""

from __future__ import annotations

import re

from .context import Definition
from .source import Document

_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")


def looks_like_asl(data: object) -> bool:
    return isinstance(data, dict) and ("States" in data or "StartAt" in data)


def extract_definitions(document: Document, file: str) -> list[Definition]:
    """A plain ASL file is one definition; anything else holds none (for now)."""
    if not looks_like_asl(document.data):
        return []

    def locate(path: tuple, anchor: str = "value"):
        return document.sourcemap.span(path, anchor)  # type: ignore[arg-type]

    placeholders = set(document.placeholders) | set(_placeholder_paths(document.data, ()))
    return [Definition(document.data, file, locate, None, "STANDARD", placeholders, document.duplicates)]


def is_intrinsic(value: object) -> bool:
    """A CloudFormation intrinsic function object such as {"Fn::GetAtt": [...]} or {"Ref": x}."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key,) = value
    return key == "Ref" or (isinstance(key, str) and key.startswith("Fn::"))


def _placeholder_paths(value: object, path: tuple):
    """Values known only at deploy time: strings holding `${X}`, intrinsic function objects."""
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if is_intrinsic(value) and path:
            yield path
        elif isinstance(value, dict):
            stack.extend((item, path + (key,)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, path + (index,)) for index, item in enumerate(value))
        elif isinstance(value, str) and "${" in value and _PLACEHOLDER.search(value):
            if not value.startswith("{%"):
                yield path
