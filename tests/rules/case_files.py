"""What a case or a docstring example is called when it is linted as a file."""

from __future__ import annotations

from asl_lint.source import LoadError, load_document


def example_filename(text: str, language: str, stem: str) -> str:
    """`stem.asl.json` for a definition (or text that does not even parse), `stem.json`
    for anything else: a name that says ASL promises a state machine (ASL014)."""
    try:
        data = load_document(text, f"{stem}.{language}").data
    except LoadError:
        return f"{stem}.asl.{language}"
    if isinstance(data, dict) and ("StartAt" in data or "States" in data):
        return f"{stem}.asl.{language}"
    return f"{stem}.{language}"
