"""One JSON Schema pass, each failure turned into one finding at the most specific member.

Subschemas carry asl-lint annotations: `x-context` (what the object is, for messages),
`x-expected` (what an `anyOf` of alternatives accepts), `x-message` and `x-rule` (the
sentence and rule for a composite constraint) and `x-anchor`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache

from ...model import QUERY_LANGUAGES, Scope, iter_scopes, machine_query_language, state_at
from ...schemas import asl_schema, fast_document_check, fast_unit_check, rust_unit, unit_validator
from ..base import Finding
from ._rust_errors import rust_errors

_RULE_BY_KEYWORD = {
    "required": "ASL101",
    "additionalProperties": "ASL102",
    "enum": "ASL103",
    "const": "ASL103",
    "type": "ASL104",
    "minimum": "ASL105",
    "maximum": "ASL105",
    "exclusiveMinimum": "ASL105",
    "exclusiveMaximum": "ASL105",
    "minLength": "ASL105",
    "maxLength": "ASL105",
    "minItems": "ASL105",
    "maxItems": "ASL105",
    "minProperties": "ASL105",
}
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
               int: "an integer", float: "a number", type(None): "null"}
_ARTICLES = {"object": "an object", "array": "an array", "string": "a string",
             "boolean": "a boolean", "integer": "an integer", "number": "a number",
             "null": "null"}


def schema_findings(data: object, placeholders: set[tuple], scopes: list[Scope] | None = None
                    ) -> Iterator[tuple[str, Finding]]:
    """Findings of the schema pass; `scopes`: the definition's, when already walked."""
    whole = fast_document_check()
    if whole is not None and whole(data):
        return
    for prefix, definition, instance in _units(data, scopes):
        fast = fast_unit_check(definition)
        if fast is not None and fast(instance):
            continue
        for error in _errors(definition, instance):
            for rule, finding in _convert(error, prefix):
                if tuple(finding.path) not in placeholders:
                    yield rule, finding


def _errors(definition: str | None, instance: object) -> Iterator:
    """The unit's errors from jsonschema-rs; from jsonschema only for an instance the Rust
    validator cannot take as it is (a NaN or an infinity from YAML)."""
    compiled = rust_unit(definition)
    if compiled is not None:
        try:
            return iter(list(rust_errors(compiled[0], compiled[1], instance)))
        except (ValueError, TypeError, OverflowError):
            pass
    return unit_validator(definition).iter_errors(instance)


def _units(data: object, scopes: list[Scope] | None = None) -> Iterator[tuple[tuple, str | None, object]]:
    """(path, schema definition, value) of each part validated on its own: the top level,
    each nested scope, each state and each nested Choice rule. Together they give exactly
    the errors of validating the whole schema at once, without its unbounded recursion."""
    yield (), None, data
    family = f"{machine_query_language(data)}Machine"
    for scope in iter_scopes(data) if scopes is None else scopes:
        if scope.path:
            yield scope.path, f"{family}.{_SCOPE_KINDS.get(scope.path[-1], 'branch')}", scope.data
        for name, state in scope.states.items():
            path = scope.state_path(name)
            yield path, f"{family}.state", state
            language = state.get("QueryLanguage")
            if language not in QUERY_LANGUAGES:
                language = family[:-len("Machine")]
            if language == "JSONPath" and state.get("Type") == "Choice" and isinstance(state.get("Choices"), list):
                yield from _nested_rules(path + ("Choices",), state["Choices"])


_SCOPE_KINDS = {"ItemProcessor": "itemProcessor", "Iterator": "iterator"}  # else a Parallel branch


def _nested_rules(path: tuple, rules: list) -> Iterator[tuple[tuple, str, object]]:
    pending = [(path + (index,), rule) for index, rule in enumerate(rules) if isinstance(rule, dict)]
    while pending:
        rule_path, rule = pending.pop()
        if len(rule_path) > len(path) + 1:  # the top-level rules belong to their state's unit
            yield rule_path, "choiceRuleNested", rule
        for key in ("And", "Or"):
            if isinstance(rule.get(key), list):
                pending.extend((rule_path + (key, index), item) for index, item in enumerate(rule[key])
                               if isinstance(item, dict))
        if isinstance(rule.get("Not"), dict):
            pending.append((rule_path + ("Not",), rule["Not"]))


def _convert(error, prefix: tuple = ()) -> Iterator[tuple[str, Finding]]:
    path = prefix + tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    instance = error.instance
    if "x-message" in schema:
        yield _composite(error, path, schema)
        return
    if keyword == "required":
        missing = [name for name in error.validator_value if isinstance(instance, dict) and name not in instance]
        names = ", ".join(f"'{name}'" for name in missing)
        plural = "s" if len(missing) > 1 else ""
        yield "ASL101", Finding(path, f"{_subject(path, schema, instance)} is missing the required field{plural} {names}", "key")
    elif keyword == "additionalProperties":
        allowed = set(schema.get("properties", {}))
        for extra in [key for key in instance if key not in allowed]:
            message = f"'{extra}' is not a field of {schema.get('x-context', 'this object')}{_in_state(path, inside=True)}"
            yield "ASL102", Finding(path + (extra,), message + _field_hint(extra, allowed, schema), "key")
    elif keyword in ("minLength", "maxLength") and "propertyNames" in error.relative_schema_path:
        limit = error.validator_value
        name = str(instance)
        shown = name if len(name) <= 40 else name[:37] + "..."
        message = (f"state name '{shown}' is {len(name)} characters long; the limit is {limit}"
                   if keyword == "maxLength" else "a state name must not be empty")
        yield "ASL105", Finding(path + (name,), message, "key")
    elif keyword in ("anyOf", "oneOf"):
        yield from _alternatives(error, path, schema, prefix)
    else:
        yield _RULE_BY_KEYWORD.get(keyword, "ASL100"), Finding(path, _keyword_message(error, path), "value")


def _keyword_message(error, path: tuple) -> str:
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    field = f"'{_field(path)}'"
    where = _in_state(path)
    located = state_at(path)
    if located and located[1] == path:
        field = f"state '{located[0]}'"
    if keyword == "type":
        wanted = " or ".join(_ARTICLES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        return f"{field} must be {wanted}, not {_describe(instance)}{where}"
    if keyword in ("enum", "const"):
        choices = [expected] if keyword == "const" else list(expected)
        hint = _did_you_mean(instance, choices)
        listed = ", ".join(json.dumps(choice) for choice in choices)
        return f"{field} must be {'one of ' if len(choices) > 1 else ''}{listed}, not {_shown(instance)}{where}{hint}"
    if keyword in ("minimum", "exclusiveMinimum"):
        bound = "at least" if keyword == "minimum" else "more than"
        return f"{field} must be {bound} {expected}, not {_shown(instance)}{where}"
    if keyword in ("maximum", "exclusiveMaximum"):
        bound = "at most" if keyword == "maximum" else "less than"
        return f"{field} must be {bound} {expected}, not {_shown(instance)}{where}"
    if keyword in ("minItems", "minProperties") and expected == 1:
        return f"{field} must not be empty{where}"
    if keyword == "minItems":
        return f"{field} needs at least {expected} items{where}"
    if keyword == "maxLength":
        return f"{field} must be at most {expected} characters long, not {len(instance)}{where}"
    return f"{field}: {error.message}{where}"


def _alternatives(error, path: tuple, schema: dict, prefix: tuple) -> Iterator[tuple[str, Finding]]:
    # An alternative whose type matched failed for a finer reason (a bound): report that.
    applicable = [sub for sub in error.context if sub.validator != "type" and sub.validator != "pattern"]
    if applicable:
        best = max(applicable, key=lambda sub: len(sub.absolute_path))
        yield from _convert(best, prefix)
        return
    expected = schema.get("x-expected")
    if expected:
        message = f"'{_field(path)}' must be {expected}, not {_describe(error.instance)}{_in_state(path)}"
    else:
        message = f"'{_field(path)}' matches none of the forms it may take{_in_state(path)}"
    yield schema.get("x-rule", "ASL100"), Finding(path, message, "value")


def _composite(error, path: tuple, schema: dict) -> tuple[str, Finding]:
    message = schema["x-message"] + _in_state(path, inside=True)
    target, anchor = path, schema.get("x-anchor", "key")
    negated = schema.get("not")
    # "A excludes B": point at B, the field to remove.
    if error.validator == "not" and isinstance(negated, dict) and negated.get("required"):
        target = path + (negated["required"][0],)
    return schema.get("x-rule", "ASL100"), Finding(target, message, anchor)


def _subject(path: tuple, schema: dict, instance: object) -> str:
    located = state_at(path)
    if located and located[1] == path and isinstance(instance, dict):
        kind = instance.get("Type")
        return f"{kind} state '{located[0]}'" if isinstance(kind, str) else f"state '{located[0]}'"
    context = schema.get("x-context", f"'{_field(path)}'")
    return context[0].upper() + context[1:] + _in_state(path, inside=True)


def _in_state(path: tuple, inside: bool = False) -> str:
    located = state_at(path)
    if located is None or (located[1] == path and not inside):
        return ""
    if located[1] == path:
        return f" (state '{located[0]}')"
    return f" (state '{located[0]}')"


def _field(path: tuple) -> str:
    if not path:
        return "the definition"
    if isinstance(path[-1], int):
        return f"{path[-2] if len(path) > 1 else ''}[{path[-1]}]"
    return str(path[-1])


def _shown(value: object) -> str:
    """A value as JSON, cut short: a message never carries more than a glimpse of a file."""
    text = json.dumps(value) if isinstance(value, (str, int, float, bool, type(None))) else _describe(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe(value: object) -> str:
    kind = _JSON_TYPES.get(type(value), "a value")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = json.dumps(value)
        return f"{kind} {text if len(text) <= 40 else text[:37] + '...'}"
    return kind


def _did_you_mean(value: object, choices: list) -> str:
    if not isinstance(value, str):
        return ""
    texts = [choice for choice in choices if isinstance(choice, str)]
    same_case = [choice for choice in texts if choice.lower() == value.lower()]
    if same_case:
        return f"; did you mean '{same_case[0]}'?"
    import difflib  # only for a value to correct

    close = difflib.get_close_matches(value, texts, n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def _field_hint(name: str, allowed: set[str], schema: dict) -> str:
    language = schema.get("x-language")
    if language:
        other = "JSONata" if language == "JSONPath" else "JSONPath"
        if name in _fields_of_language(other) and name not in _fields_of_language(language):
            return f"; it exists only in {other} states"
    return _did_you_mean(name, sorted(allowed))


@lru_cache(maxsize=2)
def _fields_of_language(language: str) -> frozenset[str]:
    fields: set[str] = set()
    for definition in asl_schema()["$defs"].values():
        if isinstance(definition, dict) and definition.get("x-language") == language:
            fields.update(definition.get("properties", {}))
    return frozenset(fields)
