"""Intrinsic functions (`States.Format('{}', $.x)`): a parser and the catalogue of all 18."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..limits import MAX_INTRINSIC_DEPTH

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_CALL_START = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(")
MAX_NESTING = 10


class IntrinsicError(ValueError):
    def __init__(self, message: str, offset: int, end: int | None = None) -> None:
        super().__init__(message)
        self.message, self.offset, self.end = message, offset, end if end is not None else offset + 1


class IntrinsicTooDeep(IntrinsicError):
    """Calls nested beyond MAX_INTRINSIC_DEPTH: not parsed further (AWS allows 10)."""


@dataclass
class Arg:
    kind: str  # "string" | "number" | "null" | "boolean" | "path" | "call"
    value: object  # decoded string, number, None, bool, path text, or Call
    start: int
    end: int
    raw: str = ""  # a string argument as written, escapes included


@dataclass
class Call:
    name: str
    args: list[Arg] = field(default_factory=list)
    start: int = 0
    end: int = 0
    name_end: int = 0

    def depth(self) -> int:
        deepest, pending = 0, [(self, 1)]
        while pending:
            call, depth = pending.pop()
            deepest = max(deepest, depth)
            pending.extend((arg.value, depth + 1) for arg in call.args if isinstance(arg.value, Call))
        return deepest

    def calls(self):
        """This call and every call inside it, outermost first, in order of writing."""
        pending = [self]
        while pending:
            call = pending.pop()
            yield call
            pending.extend(reversed([arg.value for arg in call.args if isinstance(arg.value, Call)]))


class Signature(NamedTuple):
    minimum: int
    maximum: int | None  # None: any number
    kinds: tuple[str, ...] = ()  # per argument: "string", "integer", "array", "path", "any"
    returns: str = "any"


FUNCTIONS: dict[str, Signature] = {
    "States.Format": Signature(1, None, ("string",), "string"),
    "States.StringToJson": Signature(1, 1, ("string",)),
    "States.JsonToString": Signature(1, 1, ("path",), "string"),
    "States.Array": Signature(0, None, (), "array"),
    "States.ArrayPartition": Signature(2, 2, ("array", "integer"), "array"),
    "States.ArrayContains": Signature(2, 2, ("array", "any"), "boolean"),
    "States.ArrayRange": Signature(3, 3, ("integer", "integer", "integer"), "array"),
    "States.ArrayGetItem": Signature(2, 2, ("array", "integer")),
    "States.ArrayLength": Signature(1, 1, ("array",), "integer"),
    "States.ArrayUnique": Signature(1, 1, ("array",), "array"),
    "States.Base64Encode": Signature(1, 1, ("string",), "string"),
    "States.Base64Decode": Signature(1, 1, ("string",), "string"),
    "States.Hash": Signature(2, 2, ("any", "string"), "string"),
    "States.JsonMerge": Signature(3, 3, ("object", "object", "boolean"), "object"),
    "States.MathRandom": Signature(2, 3, ("integer", "integer", "integer"), "integer"),
    "States.MathAdd": Signature(2, 2, ("integer", "integer"), "integer"),
    "States.StringSplit": Signature(2, 2, ("string", "string"), "array"),
    "States.UUID": Signature(0, 0, (), "string"),
}
HASH_ALGORITHMS = ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512")
# What a Fail state's ErrorPath/CausePath may call: the result must be a string.
STRING_RESULTS = {name for name, sig in FUNCTIONS.items() if sig.returns == "string"} | {"States.ArrayGetItem"}


def looks_like_call(text: str) -> bool:
    return bool(_CALL_START.match(text))


def parse_call(text: str) -> Call:
    """Parse one intrinsic function call that makes up the whole text."""
    parser = _Parser(text)
    position = parser.skip(0)
    call, position = parser.call(position)
    position = parser.skip(position)
    if position != len(text):
        raise IntrinsicError(f"unexpected {text[position]!r} after the call", position, len(text))
    return call


def format_placeholders(template: str) -> int:
    """How many `{}` a States.Format template holds (escaped braces `\\{` do not count)."""
    count, position = 0, 0
    while position < len(template):
        if template[position] == "\\":
            position += 2
            continue
        if template.startswith("{}", position):
            count += 1
            position += 2
            continue
        position += 1
    return count


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.depth = 0  # calls open around the one being read

    def skip(self, position: int) -> int:
        while position < len(self.text) and self.text[position] in " \t\r\n":
            position += 1
        return position

    def call(self, start: int) -> tuple[Call, int]:
        match = _NAME.match(self.text, start)
        if not match:
            raise IntrinsicError("expected a function name such as States.Format", start)
        name = match.group()
        position = self.skip(match.end())
        if not self.text.startswith("(", position):
            raise IntrinsicError(f"expected '(' after {name}", position)
        call = Call(name, start=start, name_end=match.end())
        self.depth += 1
        if self.depth > MAX_INTRINSIC_DEPTH:
            raise IntrinsicTooDeep(f"intrinsic functions nested more than {MAX_INTRINSIC_DEPTH} deep"
                                   " (asl-lint's limit; AWS allows 10)", start, match.end())
        position = self.skip(position + 1)
        if self.text.startswith(")", position):
            call.end = position + 1
            self.depth -= 1
            return call, position + 1
        while True:
            arg, position = self.argument(position)
            call.args.append(arg)
            position = self.skip(position)
            if self.text.startswith(",", position):
                position = self.skip(position + 1)
                continue
            if self.text.startswith(")", position):
                call.end = position + 1
                self.depth -= 1
                return call, position + 1
            found = repr(self.text[position]) if position < len(self.text) else "the end"
            raise IntrinsicError(f"expected ',' or ')' in the arguments of {name}, found {found}", position)

    def argument(self, start: int) -> tuple[Arg, int]:
        text = self.text
        if start >= len(text):
            raise IntrinsicError("expected an argument, found the end", start)
        char = text[start]
        if char == "'":
            return self.string(start)
        if char == "$":
            end = self.path_end(start)
            return Arg("path", text[start:end].rstrip(), start, end), end
        number = _NUMBER.match(text, start)
        if number and not _NAME.match(text, number.end()):
            value = float(number.group()) if number.group(1) or number.group(2) else int(number.group())
            return Arg("number", value, start, number.end()), number.end()
        for word, value in (("null", None), ("true", True), ("false", False)):
            if text.startswith(word, start) and not _NAME.match(text, start + len(word)):
                return Arg("null" if value is None else "boolean", value, start, start + len(word)), start + len(word)
        if _NAME.match(text, start):
            call, end = self.call(start)
            return Arg("call", call, start, end), end
        if char == '"':
            raise IntrinsicError("strings in intrinsic functions are written in single quotes", start)
        raise IntrinsicError(f"unexpected {char!r}: expected a string, number, path or function", start)

    def string(self, start: int) -> tuple[Arg, int]:
        chars, position = [], start + 1
        while position < len(self.text):
            char = self.text[position]
            if char == "\\":
                if position + 1 >= len(self.text):
                    break
                escaped = self.text[position + 1]
                if escaped not in "'{}\\":
                    raise IntrinsicError(f"'\\{escaped}' is not an escape intrinsic strings allow: only \\', \\{{,"
                                         " \\} and \\\\", position, position + 2)
                chars.append(escaped)
                position += 2
                continue
            if char == "'":
                raw = self.text[start + 1:position]
                return Arg("string", "".join(chars), start, position + 1, raw), position + 1
            chars.append(char)
            position += 1
        raise IntrinsicError("this string is never closed with '", start, len(self.text))

    def path_end(self, start: int) -> int:
        depth, quote, position = 0, None, start
        while position < len(self.text):
            char = self.text[position]
            if quote:
                if char == "\\":
                    position += 1
                elif char == quote:
                    quote = None
            elif char in "'\"" and depth:
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if depth == 0:
                    return position
                depth -= 1
            elif char in ", \t\r\n" and depth == 0:
                return position  # a path holds no white space outside brackets
            position += 1
        return position
