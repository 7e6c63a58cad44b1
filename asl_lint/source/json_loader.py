"""A position-aware JSON reader (RFC 8259) that also finds duplicate keys.

PyYAML is not used for JSON: as a YAML 1.1 parser it reads `1e3` as a string and rejects
tabs. Strings are decoded with the standard library's `scanstring`, so escapes follow
`json` exactly. One extension: an unquoted `${Name}` where a value goes is read as a
placeholder string, because templates substitute such tokens before AWS sees the text.
"""

from __future__ import annotations

import re
from json.decoder import JSONDecodeError, scanstring

from ..limits import MAX_NUMBER_LENGTH, MAX_STRING_LENGTH, MAX_VALUE_DEPTH
from .errors import DuplicateKey, LoadError, number_too_long_message, string_too_long_message, too_deep_message
from .positions import LineIndex
from .sourcemap import Location, SourceMap

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_PLACEHOLDER = re.compile(r"\$\{[^{}\s]*\}")
_LITERALS = {"true": True, "false": False, "null": None}


class JsonReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.sourcemap = SourceMap(LineIndex(text))
        self.duplicates: list[DuplicateKey] = []
        self.placeholders: set[tuple] = set()

    def read(self) -> object:
        position = self._skip(0)
        if position >= len(self.text):
            raise LoadError("the file is empty: expected a JSON object", position)
        value, end = self._value(position, (), 0, None, None)
        end = self._skip(end)
        if end < len(self.text):
            raise LoadError(f"unexpected {self._describe(end)} after the JSON document", end)
        return value

    def _skip(self, position: int) -> int:
        return _WHITESPACE.match(self.text, position).end()  # type: ignore[union-attr]

    def _describe(self, position: int) -> str:
        if position >= len(self.text):
            return "end of file"
        return repr(self.text[position])

    def _value(
        self, start: int, path: tuple, depth: int, key_start: int | None, key_end: int | None
    ) -> tuple[object, int]:
        if depth >= MAX_VALUE_DEPTH:
            raise LoadError(too_deep_message(), start, "too-complex")
        text = self.text
        char = text[start] if start < len(text) else ""
        if char == "{":
            value, end = self._object(start, path, depth)
        elif char == "[":
            value, end = self._array(start, path, depth)
        elif char == '"':
            value, end = self._string(start)
        elif char == "$" and (match := _PLACEHOLDER.match(text, start)):
            value, end = match.group(), match.end()
            self.placeholders.add(path)
        elif match := _NUMBER.match(text, start):
            number = match.group()
            if len(number) > MAX_NUMBER_LENGTH:
                raise LoadError(number_too_long_message(len(number)), start, "too-complex")
            value = float(number) if match.group(1) or match.group(2) else int(number)
            end = match.end()
        else:
            for word, literal in _LITERALS.items():
                if text.startswith(word, start):
                    value, end = literal, start + len(word)
                    break
            else:
                hint = " (JSON allows no trailing comma)" if char in "}]" else ""
                raise LoadError(f"expected a value, found {self._describe(start)}{hint}", start)
        self.sourcemap.add(path, Location(start, end, key_start, key_end))
        return value, end

    def _string(self, start: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self.text, start + 1, True)
            if len(value) > MAX_STRING_LENGTH:
                raise LoadError(string_too_long_message(len(value)), start, "too-complex")
            return value, end
        except JSONDecodeError as error:
            message = error.msg[0].lower() + error.msg[1:]
            bad = self.text[error.pos] if error.pos < len(self.text) else ""
            if error.msg.startswith("Unterminated string") or bad in ("\n", "\r"):
                message = "unterminated string: a JSON string must close on the line it opens"
            elif error.msg.startswith("Invalid control character"):
                message = f"control character U+{ord(bad):04X} must be escaped inside a JSON string"
            raise LoadError(message, error.pos) from None

    def _object(self, start: int, path: tuple, depth: int) -> tuple[dict, int]:
        result: dict = {}
        key_offsets: dict[str, int] = {}
        position = self._skip(start + 1)
        if self.text.startswith("}", position):
            return result, position + 1
        while True:
            if not self.text.startswith('"', position):
                hint = " (JSON allows no trailing comma)" if self.text.startswith("}", position) and result else ""
                raise LoadError(
                    f"expected a quoted property name, found {self._describe(position)}{hint}", position
                )
            key_start = position
            key, position = self._string(position)
            key_end = position
            position = self._skip(position)
            if not self.text.startswith(":", position):
                raise LoadError(
                    f"expected ':' after property name '{key}', found {self._describe(position)}",
                    position,
                )
            position = self._skip(position + 1)
            if key in key_offsets:
                self.duplicates.append(DuplicateKey(path, key, key_offsets[key], key_start))
            else:
                key_offsets[key] = key_start
            result[key], position = self._value(position, path + (key,), depth + 1, key_start, key_end)
            position = self._skip(position)
            if self.text.startswith(",", position):
                position = self._skip(position + 1)
                continue
            if self.text.startswith("}", position):
                return result, position + 1
            raise LoadError(
                f"expected ',' or '}}' after the value of '{key}', found {self._describe(position)}",
                position,
            )

    def _array(self, start: int, path: tuple, depth: int) -> tuple[list, int]:
        result: list = []
        position = self._skip(start + 1)
        if self.text.startswith("]", position):
            return result, position + 1
        while True:
            item, position = self._value(position, path + (len(result),), depth + 1, None, None)
            result.append(item)
            position = self._skip(position)
            if self.text.startswith(",", position):
                position = self._skip(position + 1)
                continue
            if self.text.startswith("]", position):
                return result, position + 1
            raise LoadError(
                f"expected ',' or ']' in a list, found {self._describe(position)}", position
            )
