"""Find and compile the bundled JSON Schema, once per process."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SCHEMA_NAME = "asl.schema.json"


def schema_path(name: str = SCHEMA_NAME) -> Path:
    """Inside the installed package (the wheel puts it there), or the source tree's schemas/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas" / name, here.parent / "schemas" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{name} is not installed with asl_lint")


@lru_cache(maxsize=1)
def config_schema() -> dict:
    """The JSON Schema of asl-lint's own configuration files."""
    return json.loads(schema_path("config.schema.json").read_text(encoding="utf-8"))


def _rust_validator(schema: dict):  # -> jsonschema_rs validator | None
    """`schema` compiled by jsonschema-rs, or None where it cannot be imported."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.Draft202012Validator(schema)


@lru_cache(maxsize=1)
def _config_check():  # -> Callable[[object], bool] | None
    validator = _rust_validator(config_schema())
    return None if validator is None else _yes_or_no(validator)


def fast_config_check(settings: object) -> bool:
    """Whether configuration settings are valid, by the compiled validator (False: look
    closer, or jsonschema-rs is missing)."""
    check = _config_check()
    return check is not None and check(settings)


@lru_cache(maxsize=1)
def asl_schema() -> dict:
    return json.loads(schema_path().read_text(encoding="utf-8"))


# Where the schema descends into a nested scope, a state or a nested Choice rule, the
# schema pass validates that part on its own (rules/schema/validate.py), so no validation
# recurses deeper than one state, however deep the definition nests.
UNIT_BOUNDARIES = ("Machine.state", "Machine.branch", "Machine.itemProcessor", "Machine.iterator",
                   "choiceRuleNested")


def _is_boundary(reference: str) -> bool:
    return reference.startswith("#/$defs/") and reference.endswith(UNIT_BOUNDARIES)


def _shallow(schema: object) -> object:
    """`schema` with each reference to a unit replaced by the check that it is an object."""
    if isinstance(schema, dict):
        if isinstance(schema.get("$ref"), str) and _is_boundary(schema["$ref"]):
            return {"type": "object"}
        return {key: _shallow(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_shallow(item) for item in schema]
    return schema


@lru_cache(maxsize=1)
def _shallow_schema() -> dict:
    return _shallow(asl_schema())  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _unit_root():  # -> jsonschema.protocols.Validator
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_shallow_schema())


@lru_cache(maxsize=None)
def unit_validator(definition: str | None = None):  # -> jsonschema.protocols.Validator
    """A validator of one unit: the top level (None) or `$defs/<definition>`, without
    descending into the units inside it. Built once per process and definition."""
    root = _unit_root()
    if definition is None:
        return root
    return root.evolve(schema=root.schema["$defs"][definition])


@lru_cache(maxsize=1)
def fast_document_check():  # -> Callable[[object], bool] | None
    """A compiled yes/no check of a whole definition (jsonschema-rs), or None where it is
    missing: one call per document instead of one per state. The limits on nesting
    (MAX_VALUE_DEPTH, MAX_SCOPE_DEPTH) bound its recursion; a document it rejects is
    validated unit by unit for the detailed errors."""
    validator = _rust_validator(type_dispatch_chained(asl_schema()))
    return None if validator is None else _yes_or_no(validator)


def type_dispatch_chained(schema: dict) -> dict:
    """`schema` with each `allOf` of `if Type is X then ...` (one per state type) written as
    one `if ... then ... else if ...` chain: the types exclude each other, so the two
    accept the same documents, and the chain stops at the state's own type where the
    `allOf` tries all eight (about half the time of a yes/no check of a definition).
    Only for yes/no checks: the detailed errors name places in the schema as written."""
    chained = dict(schema)
    chained["$defs"] = {name: _chained(definition) for name, definition in schema["$defs"].items()}
    return chained


def _chained(definition: object) -> object:
    branches = definition.get("allOf") if isinstance(definition, dict) else None
    types = [_type_condition(branch) for branch in branches] if isinstance(branches, list) else [None]
    if None in types or len(set(types)) != len(types) or len(types) < 2:
        return definition
    chain: dict | None = None
    for branch in reversed(branches):
        chain = {"if": branch["if"], "then": branch["then"], **({"else": chain} if chain else {})}
    return {**definition, "allOf": [chain]}


def _type_condition(branch: object) -> str | None:
    """X when `branch` is exactly `{"if": <Type is X, and required>, "then": ...}`."""
    if not isinstance(branch, dict) or set(branch) != {"if", "then"} or not isinstance(branch["if"], dict):
        return None
    kind = branch["if"].get("properties", {}).get("Type", {}).get("const")
    expected = {"type": "object", "properties": {"Type": {"const": kind}}, "required": ["Type"]}
    return kind if isinstance(kind, str) and branch["if"] == expected else None


def _yes_or_no(validator):  # -> Callable[[object], bool]
    # A NaN or an infinity (YAML's .nan, .inf) is of no JSON type to jsonschema-rs: every
    # type check fails on it, so it makes a definition invalid here and is judged by the
    # detailed pass, which hands it to jsonschema (rules/schema/_rust_errors.py).
    def is_valid(instance: object) -> bool:
        try:
            return validator.is_valid(instance)
        except (ValueError, TypeError, OverflowError):  # no JSON value in Rust
            return False

    return is_valid


@lru_cache(maxsize=None)
def rust_unit(definition: str | None = None):  # -> (jsonschema_rs validator, its schema document) | None
    """One unit's compiled jsonschema-rs validator and the document it was compiled from
    (its errors name places in it), or None where jsonschema-rs is missing."""
    document = _shallow_schema()
    if definition is not None:
        document = {"$schema": document["$schema"], "$ref": f"#/$defs/{definition}", "$defs": document["$defs"]}
    validator = _rust_validator(document)
    return None if validator is None else (validator, document)


@lru_cache(maxsize=None)
def fast_unit_check(definition: str | None = None):  # -> Callable[[object], bool] | None
    """A compiled yes/no check of one unit (jsonschema-rs), or None where it is missing:
    nearly every state is valid, and the compiled validator says so in microseconds."""
    compiled = rust_unit(definition)
    return None if compiled is None else _yes_or_no(compiled[0])
