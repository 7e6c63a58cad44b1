"""Find and compile the bundled JSON Schema, once per process."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SCHEMA_NAME = "asl.schema.json"


def schema_path() -> Path:
    """Inside the installed package (the wheel puts it there), or the source tree's schemas/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas" / SCHEMA_NAME, here.parent / "schemas" / SCHEMA_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{SCHEMA_NAME} is not installed with asl_lint")


@lru_cache(maxsize=1)
def asl_schema() -> dict:
    return json.loads(schema_path().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def asl_validator():  # -> jsonschema.protocols.Validator
    from jsonschema import Draft202012Validator

    return Draft202012Validator(asl_schema())
