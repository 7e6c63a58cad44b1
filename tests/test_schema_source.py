"""schemas/asl.schema.json is what schemas/build.py writes, and a valid 2020-12 schema."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def test_committed_schema_matches_its_source() -> None:
    spec = importlib.util.spec_from_file_location("schema_build", SCHEMAS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)  # type: ignore[union-attr]
    assert (SCHEMAS / "asl.schema.json").read_text(encoding="utf-8") == build.render(), \
        "run: python schemas/build.py"


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads((SCHEMAS / "asl.schema.json").read_text(encoding="utf-8")))
