"""jsonschema-rs errors, read as the schema pass reads a schema error.

The pass words its findings from what an error says: the keyword that failed, the
subschema it sits in (with asl-lint's `x-` annotations), the keyword's value, the
instance and its path, and for `anyOf`/`oneOf` the errors of each alternative. jsonschema
gives these as a ValidationError; jsonschema-rs as an error whose `schema_path` locates
the keyword in the document it was compiled from. `SchemaError` is the same facts from
either, so that a run never imports jsonschema (a twentieth of a cold run) unless the
Rust validator cannot take the instance (an integer beyond 64 bits, say).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from ...model import value_at


class SchemaError:
    """One failed keyword, with the attributes of jsonschema's ValidationError that the
    schema pass reads."""

    __slots__ = ("absolute_path", "context", "instance", "message", "relative_schema_path", "schema", "validator",
                 "validator_value")

    def __init__(self, error, document: dict, unit: object) -> None:
        kind = error.kind
        kind_name = type(kind).__name__
        self.absolute_path = tuple(error.instance_path)
        # The value as the definition holds it, not as it came back from Rust.
        self.instance = value_at(unit, self.absolute_path)
        if kind_name == "PropertyNames":  # jsonschema reports the name's own error, the name as instance
            error = kind.error
            kind = error.kind
            kind_name = type(kind).__name__
            self.instance = error.instance
        self.relative_schema_path = tuple(error.evaluation_path)
        location = list(error.schema_path)
        self.validator = location[-1] if location else None
        self.schema = value_at(document, location[:-1])
        self.validator_value = self.schema.get(self.validator) if isinstance(self.schema, dict) else None
        self.context: list[SchemaError] = []
        if kind_name in ("AnyOf", "OneOfNotValid"):
            for alternative in kind.context:  # in the order of the alternatives, as jsonschema gives them
                found = [SchemaError(sub, document, unit) for sub in alternative]
                found.sort(key=lambda sub: _schema_order(document, sub))
                self.context.extend(found)
        self.message = _message(self) or str(error.message)


def rust_errors(validator, document: dict, instance: object) -> Iterator[SchemaError]:
    """The errors of `instance` (one unit), or ValueError where Rust cannot hold it as it
    is: a NaN or an infinity (YAML's .nan, .inf) would be validated as null."""
    if not _finite(instance):
        raise ValueError("a number JSON cannot write")
    for error in validator.iter_errors(instance):
        yield SchemaError(error, document, instance)


def _finite(value: object) -> bool:
    """Whether no number in `value` is a NaN or an infinity (YAML's .nan and .inf, a JSON
    1e400), whose errors jsonschema-rs would word as null's."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is float:
            if item != item or item in (math.inf, -math.inf):
                return False
        elif kind is dict:
            pending.extend(item.values())  # type: ignore[attr-defined]
        elif kind is list:
            pending.extend(item)  # type: ignore[arg-type]
    return True


def _schema_order(document: dict, error: SchemaError) -> tuple:
    """Where jsonschema would meet the error: it applies a subschema's keywords in the
    order they are written, depth first, each item of an array in turn."""
    order: list = []
    schema: object = document
    path = list(error.relative_schema_path)
    position = 0
    while position < len(path) and isinstance(schema, dict):
        part = path[position]
        if part == "$ref" and isinstance(schema.get("$ref"), str):
            order.append(list(schema).index("$ref"))
            schema = value_at(document, tuple(piece for piece in schema["$ref"].lstrip("#").split("/") if piece))
        elif part in schema:
            order.append(list(schema).index(part))
            schema = schema[part]
            if part in ("properties", "dependentSchemas", "$defs") and position + 1 < len(path) \
                    and isinstance(schema, dict) and path[position + 1] in schema:
                position += 1
                order.append(list(schema).index(path[position]))
                schema = schema[path[position]]
            elif isinstance(schema, list) and position + 1 < len(path) and isinstance(path[position + 1], int):
                position += 1
                order.append(path[position])
                schema = value_at(schema, (path[position],))
        else:
            break
        position += 1
    return tuple(order), [repr(part) for part in error.absolute_path]


# jsonschema's wording, for the keywords whose findings quote it (schema/validate.py words
# the others itself).
def _message(error: SchemaError) -> str | None:
    keyword, value, instance = error.validator, error.validator_value, error.instance
    if keyword == "pattern":
        return f"{instance!r} does not match {value!r}"
    if keyword == "minLength":
        return f"{instance!r} should be non-empty" if value == 1 else f"{instance!r} is too short"
    if keyword == "maxLength":
        return f"{instance!r} is too long"
    if keyword == "minProperties":
        return f"{instance!r} should be non-empty" if value == 1 else f"{instance!r} does not have enough properties"
    if keyword == "minItems":
        return f"{instance!r} should be non-empty" if value == 1 else f"{instance!r} is too short"
    if keyword == "not":
        return f"{instance!r} should not be valid under {value!r}"
    return None
