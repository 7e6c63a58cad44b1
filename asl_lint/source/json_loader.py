"""A position-aware JSON reader (RFC 8259) that also finds duplicate keys.

PyYAML is not used for JSON: as a YAML 1.1 parser it reads `1e3` as a string and rejects
tabs. Strings are decoded with the standard library's `scanstring`, so escapes follow
`json` exactly. One extension: an unquoted `${Name}` where a value goes is read as a
placeholder string, because templates substitute such tokens before AWS sees the text.
"""

from __future__ import annotations

import json
import re
from json.decoder import JSONDecodeError, scanstring

from ..limits import MAX_NUMBER_LENGTH, MAX_STRING_LENGTH, MAX_VALUE_DEPTH
from .errors import DuplicateKey, LoadError, number_too_long_message, string_too_long_message, too_deep_message
from .positions import LineIndex
from .sourcemap import Location, OnDemandLocations, SourceMap

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


_SPACED_COLON = re.compile(r'"[ \t\n\r]+:')


def read_json(text: str) -> tuple[object, object, list[DuplicateKey], set[tuple]]:
    """(data, source map, duplicate keys, placeholder paths) of a JSON text.

    Most files are plain, well-formed JSON: the standard library's C parser reads them in
    a fraction of the time, and positions are worked out only if a diagnostic needs one
    (a clean file never does). Anything out of the ordinary (a duplicate key, an unquoted
    ${Name}, a syntax error, a value near a limit) is read by the position-aware reader,
    which reports it exactly.
    """
    data = _plain_json(text)
    if data is not _NOT_PLAIN:
        return data, LazySourceMap(text), [], set()
    reader = JsonReader(text)
    data = reader.read()
    return data, reader.sourcemap, reader.duplicates, reader.placeholders


_NOT_PLAIN = object()


def _plain_json(text: str) -> object:
    # Nesting can reach the limit only through as many brackets, and most texts have fewer:
    # then the parser itself refuses a repeated key, and nothing needs walking after it.
    few_brackets = text.count("{") + text.count("[") < MAX_VALUE_DEPTH - 1
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys if few_brackets else None, parse_constant=_not_json,
                          parse_float=_number, parse_int=_integer)
    except (ValueError, RecursionError):  # bad syntax, a repeated key, a number too long: the strict reader says
        return _NOT_PLAIN
    long_text = _may_hold_long_strings(text)
    if few_brackets and not long_text:
        return data
    # A larger text: one walk counts the keys (fewer than the text has: one was repeated)
    # and measures nesting and strings.
    parsed_keys = _keys_within_limits(data, long_text)
    if parsed_keys is None or (not few_brackets and parsed_keys != _key_count(text) and _has_duplicates(text)):
        return _NOT_PLAIN
    return data


class _RepeatedKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """An object of the C parser's, refused when it repeats a key (the C parser would keep
    the last value without a word)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _RepeatedKey
    return result


def _may_hold_long_strings(text: str) -> bool:
    """Whether a string in the text may be over MAX_STRING_LENGTH: not when the text is
    shorter, nor when no escaped quote splits a string and no stretch between two quotes
    is that long (a string is never longer than its text)."""
    if len(text) <= MAX_STRING_LENGTH:
        return False
    if '\\"' in text:
        return True
    # A stretch without a quote longer than MAX_STRING_LENGTH covers a whole block of half
    # that length: look for a quote in each block (no split of a text of many megabytes).
    block = MAX_STRING_LENGTH // 2
    return any(text.find('"', start, start + block) < 0 for start in range(0, len(text) - block + 1, block))


def _key_count(text: str) -> int:
    """At least the number of keys in a well-formed JSON text, and exactly that number
    unless a string holds `":` (as a template's escaped definition does): every key's
    closing quote is followed by a colon, and a colon follows a quote nowhere else."""
    return text.count('":') + len(_SPACED_COLON.findall(text))


def _has_duplicates(text: str) -> bool:
    duplicated = False

    def pairs(items: list) -> dict:
        nonlocal duplicated
        result = dict(items)
        duplicated = duplicated or len(result) != len(items)
        return result

    json.loads(text, object_pairs_hook=pairs)
    return duplicated


def _keys_within_limits(data: object, long_text: bool) -> int | None:
    """How many keys the parsed objects hold, or None when nesting or (in a text long
    enough to hold one) a string is beyond the limits. Numbers were measured as they were
    read (_number, _integer)."""
    if type(data) is not dict and type(data) is not list:
        return None if long_text and type(data) is str and len(data) > MAX_STRING_LENGTH else 0
    keys = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth >= MAX_VALUE_DEPTH - 1:
            return None
        if type(value) is dict:
            keys += len(value)
            if long_text and value and max(map(len, value)) > MAX_STRING_LENGTH:
                return None
            value = value.values()
        for child in value:
            if type(child) is dict or type(child) is list:  # only containers nest
                stack.append((child, depth + 1))
            elif long_text and type(child) is str and len(child) > MAX_STRING_LENGTH:
                return None
    return keys


def _number(literal: str) -> float:
    if len(literal) > MAX_NUMBER_LENGTH:
        raise ValueError("a number beyond the limit")  # the strict reader reports it
    return float(literal)


def _integer(literal: str) -> int:
    if len(literal) > MAX_NUMBER_LENGTH:
        raise ValueError("a number beyond the limit")  # the strict reader reports it
    return int(literal)


def _not_json(constant: str) -> object:
    raise ValueError(f"{constant} is not JSON")  # NaN and Infinity: the strict reader says where


# Jumps over a container with the C parser: only where it ends is wanted, so each object
# it reads is made into a number (its member count) instead of a dict (a 3.6 MB text is
# read in 20 ms instead of 37 ms).
_SKIPPER = json.JSONDecoder(object_pairs_hook=len)
_PLAIN_KEY = re.compile(r'"([^"\\]*)"[ \t\n\r]*:[ \t\n\r]*')
_AFTER_VALUE = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*)?")
_SCALAR = re.compile(r'"(?:[^"\\]|\\.)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null')


class _Locator:
    """Finds where one path's value is in a well-formed JSON text without reading the rest:
    containers off the path are jumped over by the standard library's C parser, and the
    members of each container on a path are indexed once, as far as a lookup needs them
    (a member's value is jumped over only when one after it is sought), so that each
    further lookup costs its depth."""

    def __init__(self, text: str) -> None:
        self.text = text
        # container start -> [{key: (key start, key end, value start)} or [value start],
        #                      where its next unread member starts, None once all are read,
        #                      or the start of the last member's value when its end is not
        #                      known yet (a negative number: -1 - start)]
        self._members: dict[int, list] = {}

    def _skip(self, position: int) -> int:
        return _WHITESPACE.match(self.text, position).end()  # type: ignore[union-attr]

    def _end(self, start: int) -> int:
        if self.text[start] in "[{":
            return _SKIPPER.raw_decode(self.text, start)[1]
        return _SCALAR.match(self.text, start).end()  # type: ignore[union-attr]

    def _member(self, start: int, part: str | int) -> tuple[int | None, int | None, int] | None:
        """(key start, key end, value start) of a member of the container at `start`."""
        text, is_object = self.text, self.text[start] == "{"
        entry = self._members.get(start)
        if entry is None:
            entry = self._members[start] = [{} if is_object else [], self._skip(start + 1)]
        members = entry[0]
        while entry[1] is not None and (part not in members if is_object else len(members) <= part):
            position = entry[1]
            if position < 0:  # jump over the last member's value only now: the one sought is further
                position = _AFTER_VALUE.match(text, self._end(-1 - position)).end()  # type: ignore[union-attr]
            if text[position] in "]}":
                entry[1] = None
                break
            if is_object:
                plain = _PLAIN_KEY.match(text, position)  # a key without escapes, its colon and what follows
                if plain is not None:
                    key, key_end, value = plain.group(1), plain.end(1) + 1, plain.end()
                else:
                    key, key_end = scanstring(text, position + 1)
                    value = self._skip(self._skip(key_end) + 1)
                members[key] = (position, key_end, value)
            else:
                value = position
                members.append(value)
            # Its end is found when a later member is sought: the member sought is often the
            # last one looked at ("States" of the whole document, whose end costs a parse).
            entry[1] = -1 - value
        if is_object:
            return members.get(part)
        return (None, None, members[part]) if part < len(members) else None

    def find(self, path: tuple) -> Location | None:
        position = self._skip(0)
        key_start = key_end = None
        for part in path:
            char = self.text[position]
            if char not in "[{" or isinstance(part, str) != (char == "{") or (char == "[" and part < 0):
                return None
            found = self._member(position, part)
            if found is None:
                return None
            key_start, key_end, position = found
        return Location(position, self._end(position), key_start, key_end)


class _OnDemand(OnDemandLocations):
    """Locations of a JSON text: each found by a scan to it; all of them by the
    position-aware reader when the mapping is enumerated."""

    def __init__(self, locator: _Locator) -> None:
        super().__init__()
        self._locator = locator

    def _find(self, path: tuple) -> Location | None:
        return self._locator.find(path)

    def _every(self) -> dict:
        reader = JsonReader(self._locator.text)
        reader.read()
        return reader.sourcemap.locations


class LazySourceMap(SourceMap):
    """The source map of a plain JSON text, computed path by path when a diagnostic needs a
    position: a clean file never pays for one, and a large file with a few findings pays
    for those few."""

    def __init__(self, text: str) -> None:  # noqa: D107 - SourceMap's fields, made lazily
        self._text = text
        self._index: LineIndex | None = None
        self.locations = _OnDemand(_Locator(text))

    @property  # type: ignore[override]
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self._text)
        return self._index
