"""JSONPath as Step Functions reads it: `$` (state data), `$$` (context) or `$name` (variable).

A Path may select many nodes (filters, wildcards, slices, unions, deep scans); a Reference
Path must name one node, so only `.name`, `['name']` and `[index]` steps are allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_NAME_STOP = set(".[]()'\",") | {" ", "\t", "\n", "\r"}
# Context object fields documented by AWS (it warns it may add more).
CONTEXT_FIELDS = {
    "Execution": {"Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"},
    "State": {"EnteredTime", "Name", "RetryCount"},
    "StateMachine": {"Id", "Name"},
    "Task": {"Token"},
    "Map": {"Item"},
}
MAP_ITEM_FIELDS = {"Index", "Value", "Source"}


class PathError(ValueError):
    def __init__(self, message: str, offset: int, end: int | None = None) -> None:
        super().__init__(message)
        self.message, self.offset, self.end = message, offset, end if end is not None else offset + 1


@dataclass
class Step:
    kind: str  # "name" | "index" | "wildcard" | "deep" | "slice" | "union" | "filter" | "script"
    value: object
    start: int
    end: int
    lenient: bool = False  # written without the '.' that Jayway (AWS's reader) adds: $.a[0]b

    @property
    def single(self) -> bool:
        return self.kind in ("name", "index")


@dataclass
class ParsedPath:
    text: str
    root: str  # "state" | "context" | "variable"
    variable: str | None = None
    steps: list[Step] = field(default_factory=list)

    def names(self) -> list[str]:
        return [str(step.value) for step in self.steps if step.kind == "name"]


def parse_path(text: str) -> ParsedPath:
    """Parse a Path; raises PathError with the offset of the first problem. The same few
    paths ($, $.result, ...) recur in every state: each text is parsed once."""
    found = _parsed(text)
    if isinstance(found, PathError):
        raise found
    return found


@lru_cache(maxsize=16384)
def _parsed(text: str) -> ParsedPath | PathError:
    try:
        return _parse_path(text)
    except PathError as error:
        return error


# `$.a.b`, `$$.Execution.Id`, `$name.a`: names after dots, as most paths are; read with one
# match instead of a character at a time (what _step makes of them, in a fraction of the
# time; each text is parsed once per process, but a corpus run meets thousands).
_PLAIN_PATH = re.compile(r"\$(\$|[A-Za-z_][A-Za-z0-9_]*)?((?:\.[A-Za-z0-9_-]+)*)")


def _parse_path(text: str) -> ParsedPath:
    text = text.rstrip()  # AWS ignores trailing white space ("$$.Execution.Name ")
    plain = _PLAIN_PATH.fullmatch(text)
    if plain is not None:
        return _plain_path(text, plain)
    if not text.startswith("$"):
        raise PathError("a path starts with '$'", 0)
    position, root, variable = 1, "state", None
    if text.startswith("$$"):
        position, root = 2, "context"
    elif len(text) > 1 and text[1] not in ".[":
        end = position
        while end < len(text) and text[end] not in _NAME_STOP:
            end += 1
        variable = text[1:end]
        if not variable.isidentifier():
            raise PathError(f"'{variable}' is not a variable name", 1, end)
        position, root = end, "variable"
    steps = []
    while position < len(text):
        step, position = _step(text, position)
        steps.append(step)
    if root == "context" and not steps and text != "$$":
        raise PathError("expected '.' or '[' after '$$'", 2)
    return ParsedPath(text, root, variable, steps)


def _plain_path(text: str, match: re.Match) -> ParsedPath:
    head = match.group(1)
    root = "context" if head == "$" else "variable" if head else "state"
    steps, position = [], match.start(2)
    for name in match.group(2).split(".")[1:]:
        steps.append(Step("name", name, position, position + 1 + len(name)))
        position += 1 + len(name)
    return ParsedPath(text, root, head if root == "variable" else None, steps)


def reference_problem(path: ParsedPath) -> PathError | None:
    """Why a parsed path is not a Reference Path (it must name exactly one node), or None."""
    for step in path.steps:
        if not step.single:
            what = {"wildcard": "a wildcard", "deep": "a deep scan '..'", "slice": "a slice",
                    "union": "a union", "filter": "a filter", "script": "an expression"}[step.kind]
            return PathError(f"{what} can select several nodes; a reference path must name exactly one",
                             step.start, step.end)
    return None


def _step(text: str, position: int) -> tuple[Step, int]:
    char = text[position]
    if char == ".":
        if text.startswith("..", position):
            name_start = position + 2
            if text.startswith("*", name_start):
                return Step("deep", "*", position, name_start + 1), name_start + 1
            name, end = _name(text, name_start)
            return Step("deep", name, position, end), end
        if text.startswith("*", position + 1):
            return Step("wildcard", "*", position, position + 2), position + 2
        if text.startswith("[", position + 1):  # "$.[0]" and "$.a.[0]", as Jayway reads them
            return _bracket(text, position + 1)
        name, end = _name(text, position + 1)
        return Step("name", name, position, end), end
    if char == "[":
        return _bracket(text, position)
    # Jayway reads a name or '*' straight after ']' as if a '.' came first ($.a[0]b is
    # $.a[0].b); AWS evaluates paths with Jayway, so such a path works.
    if text[position - 1] == "]" and char == "*":
        return Step("wildcard", "*", position, position + 1, lenient=True), position + 1
    if text[position - 1] == "]" and char not in _NAME_STOP:
        name, end = _name(text, position)
        return Step("name", name, position, end, lenient=True), end
    raise PathError(f"unexpected '{char}': expected '.' or '['", position)


def _name(text: str, start: int) -> tuple[str, int]:
    chars, position = [], start
    while position < len(text) and text[position] not in _NAME_STOP:
        if text[position] == "\\" and position + 1 < len(text):
            position += 1  # an escaped character belongs to the name: $.store\.book
        chars.append(text[position])
        position += 1
    if not chars:
        found = repr(text[position]) if position < len(text) else "the end"
        raise PathError(f"expected a field name, found {found}", start)
    if position < len(text) and text[position] in " \t\r\n":
        raise PathError("a field name cannot contain white space; use ['...']", position)
    return "".join(chars), position


def _bracket(text: str, start: int) -> tuple[Step, int]:
    close = _closing_bracket(text, start)
    inner = text[start + 1:close].strip()
    end = close + 1
    if inner == "*":
        return Step("wildcard", "*", start, end), end
    if inner.startswith("?("):
        if not inner.endswith(")"):
            raise PathError("a filter is written [?(...)]", start, end)
        return Step("filter", inner, start, end), end
    if inner.startswith("("):
        return Step("script", inner, start, end), end
    if inner[:1] in ("'", '"'):
        names = [_quoted(text, part, start) for part in _split_top(inner)]
        if len(names) == 1:
            return Step("name", names[0], start, end), end
        return Step("union", names, start, end), end
    if ":" in inner:
        parts = inner.split(":")
        if len(parts) > 3 or not all(_is_int(part) or not part.strip() for part in parts):
            raise PathError(f"'[{inner}]' is not a slice [start:end:step]", start, end)
        return Step("slice", inner, start, end), end
    parts = [part.strip() for part in inner.split(",")]
    if not all(_is_int(part) for part in parts):
        raise PathError(f"'[{inner}]' is not an index, a quoted name, '*', a slice or a filter", start, end)
    if len(parts) > 1:
        return Step("union", [int(p) for p in parts], start, end), end
    return Step("index", int(parts[0]), start, end), end


def _closing_bracket(text: str, start: int) -> int:
    depth, quote, position = 0, None, start
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth == 0:
                if char != "]":
                    raise PathError("unbalanced ')'", position)
                return position
        position += 1
    raise PathError("'[' is never closed", start, len(text))


def _split_top(inner: str) -> list[str]:
    parts, current, quote = [], "", None
    for char in inner:
        if quote:
            current += char
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            current += char
        elif char == ",":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def _quoted(text: str, part: str, at: int) -> str:
    if len(part) < 2 or part[0] != part[-1] or part[0] not in "'\"":
        raise PathError(f"{part!r} is not a quoted name", at)
    return part[1:-1].replace("\\" + part[0], part[0])


def _is_int(text: str) -> bool:
    """An index as int() and Jayway's parseInt read it: a sign, then decimal digits (any
    script's, but not superscripts or other numerals that int() refuses)."""
    digits = text.strip()
    digits = digits[1:] if digits.startswith("-") else digits
    return digits.isdecimal()
