"""The yes/no check of a whole definition reads the state type dispatch as one if/else
chain (schemas.type_dispatch_chained): it must accept exactly what the schema accepts."""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema_rs
import pytest
import yaml

from asl_lint.model import STATE_TYPES
from asl_lint.schemas import asl_schema, type_dispatch_chained
from asl_lint.source import LoadError, load_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def _definitions() -> list[object]:
    found = []
    for case_file in sorted((ROOT / "fixtures" / "rules").glob("*.yaml")):
        for case in yaml.safe_load(case_file.read_text(encoding="utf-8")).get("cases", []):
            text = case.get("definition")
            if not isinstance(text, str):
                continue
            try:
                found.append(load_document(text, "case.yaml" if case.get("format") == "yaml" else "case.json").data)
            except LoadError:
                continue
    for path in sorted(CORPUS.glob("**/*.json"))[:2000] if CORPUS.is_dir() else ():
        try:
            found.append(load_document(path.read_text(encoding="utf-8", errors="replace"), str(path)).data)
        except LoadError:
            continue
    return [data for data in found if isinstance(data, dict) and isinstance(data.get("States"), dict)]


def _retyped(definition: dict) -> list[dict]:
    """The definition with its first state's Type changed to every other value, removed,
    and made no string: where the dispatch decides."""
    name = next(iter(definition["States"]), None)
    if name is None or not isinstance(definition["States"][name], dict):
        return []
    variants = []
    for kind in (*STATE_TYPES, "Unknown", None, ["Task"]):
        variant = copy.deepcopy(definition)
        if kind is None:
            variant["States"][name].pop("Type", None)
        else:
            variant["States"][name]["Type"] = kind
        variants.append(variant)
    return variants


def test_the_state_dispatch_is_a_chain() -> None:
    chained = type_dispatch_chained(asl_schema())["$defs"]
    for language in ("JSONPath", "JSONata"):
        (branch,) = chained[f"{language}.state"]["allOf"]
        seen = []
        while branch is not None:
            seen.append(branch["if"]["properties"]["Type"]["const"])
            branch = branch.get("else")
        assert seen == list(STATE_TYPES)
    assert asl_schema()["$defs"]["JSONPath.state"]["allOf"][0].keys() == {"if", "then"}  # the schema as written


def test_the_chain_accepts_what_the_schema_accepts() -> None:
    written = jsonschema_rs.Draft202012Validator(asl_schema())
    chained = jsonschema_rs.Draft202012Validator(type_dispatch_chained(asl_schema()))
    definitions = _definitions()
    assert len(definitions) > 300
    verdicts = set()
    for definition in definitions:
        for instance in (definition, *_retyped(definition)):
            try:
                expected = written.is_valid(instance)
            except (ValueError, TypeError, OverflowError):
                continue
            assert chained.is_valid(instance) == expected, instance
            verdicts.add(expected)
    assert verdicts == {True, False}


@pytest.mark.parametrize("definition", [
    {"allOf": [{"if": {"type": "object", "properties": {"Type": {"const": "Task"}}, "required": ["Type"]},
                "then": {"required": ["Resource"]}},
               {"if": {"type": "object", "properties": {"Type": {"const": "Task"}}, "required": ["Type"]},
                "then": {"required": ["End"]}}]},  # the same type twice: both apply
    {"allOf": [{"if": {"properties": {"Type": {"const": "Task"}}}, "then": {"required": ["Resource"]}},
               {"if": {"properties": {"Type": {"const": "Pass"}}}, "then": {"required": ["End"]}}]},  # Type not required
    {"allOf": [{"if": {"type": "object", "properties": {"Type": {"const": "Task"}}, "required": ["Type"]},
                "then": {"required": ["Resource"]}, "else": {"required": ["Next"]}},
               {"if": {"type": "object", "properties": {"Type": {"const": "Pass"}}, "required": ["Type"]},
                "then": {"required": ["End"]}}]},  # an else of its own
])
def test_what_is_not_a_type_dispatch_stays_as_written(definition: dict) -> None:
    schema = {"$defs": {"state": definition}}
    assert type_dispatch_chained(schema)["$defs"]["state"] == definition
