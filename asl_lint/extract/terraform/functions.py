"""Terraform's functions and operators, as far as a definition needs them: what `format`,
`lookup`, `merge`, `join` and the arithmetic and logic of an expression give."""

from __future__ import annotations

import re


def _format(pattern: str, *values: object) -> str:
    """Terraform's format() for the verbs a definition uses: %s, %d, %v, %%."""
    found = iter(values)

    def verb(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%"
        value = next(found)
        if match.group(0) == "%d" and not isinstance(value, int):
            raise ValueError("not a number")
        return _terraform_text(value)

    text = re.sub(r"%[sdv%]", verb, pattern)
    if re.search(r"%[^sdv%]", pattern.replace("%%", "")):
        raise ValueError("a verb asl-lint does not evaluate")
    return text


def _terraform_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        raise ValueError("not a primitive")
    return str(value)


def _lookup(mapping: object, key: object, *default: object) -> object:
    if not isinstance(mapping, dict) or not isinstance(key, str):
        raise TypeError("lookup() of a non-map")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


def _merge(*maps: object) -> dict:
    if not all(isinstance(item, dict) for item in maps):
        raise TypeError("merge() of a non-map")
    merged: dict = {}
    for item in maps:
        merged.update(item)
    return merged


def _concat(*lists: object) -> list:
    if not all(isinstance(item, list) for item in lists):
        raise TypeError("concat() of a non-list")
    return [value for item in lists for value in item]


def _join(separator: object, items: object) -> str:
    if not isinstance(separator, str) or not isinstance(items, list):
        raise TypeError("join() of a non-list")
    return separator.join(_terraform_text(item) for item in items)


# The functions of Terraform's language that shape definitions, evaluated on known values.
KNOWN_FUNCTIONS = {
    "merge": _merge, "concat": _concat, "lookup": _lookup, "join": _join, "format": _format,
    "lower": lambda text: text.lower() if isinstance(text, str) else _raise(),
    "upper": lambda text: text.upper() if isinstance(text, str) else _raise(),
    "trimspace": lambda text: text.strip() if isinstance(text, str) else _raise(),
    "chomp": lambda text: text.rstrip("\r\n") if isinstance(text, str) else _raise(),
    "tostring": _terraform_text,
    "length": lambda value: len(value) if isinstance(value, (str, list, dict)) else _raise(),
    "jsonencode": lambda value: __import__("json").dumps(value, separators=(",", ":")),
}


def _raise() -> object:
    raise TypeError("not a string")


def _number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("not a number")
    return value


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a bool")
    return value


OPERATORS = {
    ("!", 1): lambda a: not _boolean(a), ("-", 1): lambda a: -_number(a),
    ("+", 2): lambda a, b: _number(a) + _number(b), ("-", 2): lambda a, b: _number(a) - _number(b),
    ("*", 2): lambda a, b: _number(a) * _number(b), ("/", 2): lambda a, b: _number(a) / _number(b),
    ("%", 2): lambda a, b: _number(a) % _number(b),
    ("<", 2): lambda a, b: _number(a) < _number(b), (">", 2): lambda a, b: _number(a) > _number(b),
    ("<=", 2): lambda a, b: _number(a) <= _number(b), (">=", 2): lambda a, b: _number(a) >= _number(b),
    ("==", 2): lambda a, b: a == b, ("!=", 2): lambda a, b: a != b,
    ("&&", 2): lambda a, b: _boolean(a) and _boolean(b), ("||", 2): lambda a, b: _boolean(a) or _boolean(b),
}  # values one definition may be built of through locals and variables


MAX_NESTING = 50  # trimspace(trimspace(...)), abspath(abspath(...)), %{ if } inside %{ if }: read this deep


class TooDeep(Exception):
    """An expression nested past MAX_NESTING: not read (ASL006), never a RecursionError."""

    def __init__(self, node) -> None:
        super().__init__()
        self.node = node
