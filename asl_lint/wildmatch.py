"""gitignore patterns as git reads them, matched without backtracking.

A pattern is split at `/` into segments, and each segment at its runs of `*` into chunks
of fixed length (literal characters, `?` and bracket expressions). A segment matches a
name when its first chunk matches at the start, its last at the end, and every chunk in
between at its leftmost place after the one before: for chunks of fixed length the
leftmost place is always as good as any later one, so no choice is ever undone. `**`
segments are matched the same way over path segments. The work is at most the length of
the name times the length of the pattern, whatever the pattern: `*a*a*a*a*a*a*b` against
a long name takes microseconds (a backtracking regular expression takes minutes).

Lines git would never match (a trailing backslash, a lone `!`, an unclosed `[`, a
malformed `[:class:]`) are skipped in a .gitignore, as git skips them; in a pattern the
user gave, they are a PatternError that names the pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

_CLASSES = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9", "graph": "\\x21-\\x7e", "lower": "a-z", "print": "\\x20-\\x7e",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"), "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z", "xdigit": "0-9a-fA-F",
}


# A pattern needs at least one character of the path for each of its characters that is
# not a '*' or '/': one that needs more than the longest path (Linux's PATH_MAX) can never
# match, and is refused before it costs anything.
MAX_PATTERN_LENGTH = 4096
_MAX_ALTERNATIVES = 16  # git's prefix rule, unfolded (a real pattern needs one or two)


class PatternError(ValueError):
    """A pattern git would never match: it names the pattern and why."""


class _Segment(NamedTuple):
    """One `/`-separated part of a pattern."""

    literal: str | None  # the whole segment, when it has no wildcard
    chunks: tuple = ()  # between runs of *: literal text, or an expression of fixed width
    lengths: tuple = ()
    star_first: bool = False
    star_last: bool = False
    required: tuple = ()  # literal text every match contains (a cheap first test)
    globstar: bool = False  # the segment is **

    def matches(self, name: str) -> bool:
        if self.literal is not None:
            return name == self.literal
        if self.globstar:
            return True
        for text in self.required:
            if text not in name:
                return False
        chunks, lengths = self.chunks, self.lengths
        if not self.star_first and not self.star_last and len(chunks) == 1:
            return lengths[0] == len(name) and _at(chunks[0], name, 0)
        start, end = 0, len(name)
        first, last = 0, len(chunks)
        if not self.star_first:
            if lengths[0] > end or not _at(chunks[0], name, 0):
                return False
            start, first = lengths[0], 1
        if not self.star_last:
            if end - lengths[-1] < start or not _at(chunks[-1], name, end - lengths[-1]):
                return False
            end, last = end - lengths[-1], last - 1
        for index in range(first, last):
            start = _after(chunks[index], name, start, end)
            if start < 0:
                return False
        return True


def _at(chunk, name: str, position: int) -> bool:
    """Whether a chunk (literal text, or a fixed-width expression) matches at `position`."""
    if type(chunk) is str:
        return name.startswith(chunk, position)
    return chunk.match(name, position) is not None


def _after(chunk, name: str, start: int, end: int) -> int:
    """Where the leftmost match of a chunk in name[start:end] ends, or -1."""
    if type(chunk) is str:
        found = name.find(chunk, start, end)
        return -1 if found < 0 else found + len(chunk)
    match = chunk.search(name, start, end)
    return -1 if match is None else match.end()


def _bracket(pattern: str, at: int, problems: list[str]) -> tuple[str, int]:
    """A bracket expression starting at `at` ('['): its regular expression class and the
    index after it; raises PatternError where git's wildmatch gives up. A reversed range
    matches nothing, as in git, and is noted in `problems`."""
    i = at + 1
    negated = i < len(pattern) and pattern[i] in "!^"
    if negated:
        i += 1
    parts: list[str] = []
    previous: str | None = None
    first = True
    while True:
        if i >= len(pattern):
            raise PatternError("a '[' is never closed")
        char = pattern[i]
        if char == "]" and not first:
            i += 1
            break
        first = False
        if char == "\\":
            i += 1
            if i >= len(pattern):
                raise PatternError("it ends with a backslash")
            char = pattern[i]
            parts.append(re.escape(char))
            previous = char
        elif char == "-" and previous is not None and i + 1 < len(pattern) and pattern[i + 1] != "]":
            i += 1
            high = pattern[i]
            if high == "\\":
                i += 1
                if i >= len(pattern):
                    raise PatternError("it ends with a backslash")
                high = pattern[i]
            parts.pop()
            if previous > high:
                problems.append(f"the range {previous}-{high} is reversed")
            else:
                parts.append(f"{re.escape(previous)}-{re.escape(high)}")
            previous = None
        elif char == "[" and pattern[i + 1:i + 2] == ":":
            close = pattern.find("]", i + 2)
            if close < 0:
                raise PatternError("a '[' is never closed")
            name = pattern[i + 2:close - 1] if pattern[close - 1] == ":" and close - 1 >= i + 2 else None
            if name is None:  # no ':]': a plain '['
                parts.append(re.escape("["))
                previous = "["
            else:
                if name not in _CLASSES:
                    raise PatternError(f"[:{name}:] is not a character class")
                parts.append(_CLASSES[name])
                previous = None
                i = close
        else:
            parts.append(re.escape(char))
            previous = char
        i += 1
    body = "".join(parts)
    if negated:
        return f"[^/{body}]", i
    return (f"[{body}]" if body else "(?!)"), i


def _segment(text: str, problems: list[str]) -> _Segment:
    if re.fullmatch(r"\*{2,}", text):
        return _Segment(None, globstar=True)
    if not any(char in text for char in "*?[\\"):
        return _Segment(text)
    chunks: list[list[str]] = [[]]
    runs: list[str] = [""]  # literal text between wildcards
    i = 0
    while i < len(text):
        char = text[i]
        if char == "*":
            while i < len(text) and text[i] == "*":
                i += 1
            chunks.append([])
            runs.append("")
            continue
        if char == "?":
            chunks[-1].append("[^/]")
            runs.append("")
            i += 1
        elif char == "[":
            expression, i = _bracket(text, i, problems)
            chunks[-1].append(expression)
            runs.append("")
        else:
            if char == "\\":
                i += 1
                if i >= len(text):
                    raise PatternError("it ends with a backslash")
                char = text[i]
            chunks[-1].append(re.escape(char))
            runs[-1] += char
            i += 1
    star_first, star_last = len(chunks) > 1 and not chunks[0], len(chunks) > 1 and not chunks[-1]
    kept = [chunk for chunk in chunks if chunk]
    if not kept:  # only stars: any name
        return _Segment(None, (re.compile(""),), (0,), True, True)
    if len(kept) == 1 and not star_first and not star_last and not any(c in text for c in "?["):
        return _Segment(re.sub(r"\\(.)", r"\1", text))
    # A chunk of literal characters is found with str.find; only ? and [...] need an expression.
    compiled = tuple(re.compile("".join(chunk), re.DOTALL) if any(item.startswith(("[", "(?!)")) for item in chunk)
                     else re.sub(r"\\(.)", r"\1", "".join(chunk)) for chunk in kept)
    required = tuple(sorted({run for run in runs if len(run) > 1}, key=len, reverse=True)[:3])
    return _Segment(None, compiled, tuple(map(len, kept)), star_first, star_last, required)


def _trim_trailing_spaces(line: str) -> str:
    end = 0
    i = 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            i += 2
            end = i
            continue
        if line[i] != " ":
            end = i + 1
        i += 1
    return line[:end]


class Pattern(NamedTuple):
    """One gitignore pattern, compiled."""

    text: str
    negated: bool
    directory_only: bool
    anchored: bool  # it holds a '/' before its end: matched against the whole relative path
    alternatives: tuple[tuple[_Segment, ...], ...]  # one, but for git's prefix rule

    @property
    def segments(self) -> tuple[_Segment, ...]:
        return self.alternatives[0]

    def matches(self, parts: tuple[str, ...], is_dir: bool) -> bool:
        """Whether the path (its segments, relative to the pattern's base) matches."""
        if self.directory_only and not is_dir:
            return False
        if not self.anchored:
            return bool(parts) and self.segments[0].matches(parts[-1])
        return any(_match_segments(segments, parts) for segments in self.alternatives)


def _match_segments(segments: tuple[_Segment, ...], parts: tuple[str, ...]) -> bool:
    """Segments (some of them **) against path parts: groups between ** matched at their
    leftmost place, as chunks are within a name."""
    groups: list[list[_Segment]] = [[]]
    for segment in segments:
        if segment.globstar:
            groups.append([])
        else:
            groups[-1].append(segment)
    if len(groups) == 1:
        group = groups[0]
        return len(group) == len(parts) and all(s.matches(p) for s, p in zip(group, parts))
    start, end = 0, len(parts)
    head, tail, middle = groups[0], groups[-1], groups[1:-1]
    if len(head) + len(tail) + sum(map(len, middle)) > end:
        return False
    if not all(s.matches(p) for s, p in zip(head, parts)):
        return False
    start = len(head)
    if tail:
        end -= len(tail)
        if end < start or not all(s.matches(p) for s, p in zip(tail, parts[end:])):
            return False
    elif end - start < 1 + sum(map(len, middle)):
        return False  # a trailing /** matches what is inside, not the directory itself
    for group in middle:
        if not group:
            continue
        for offset in range(start, end - len(group) + 1):
            if all(s.matches(p) for s, p in zip(group, parts[offset:])):
                start = offset + len(group)
                break
        else:
            return False
    return bool(tail) or start < end


def _as_git_strips_the_prefix(body: str) -> list[str]:
    """git compares the literal text before a pattern's first wildcard on its own and
    matches the rest as a pattern of its own, so a `**` right after that text stands at
    the rest's start: `x**/y` matches what `x*/**/y` matches, and `xy` too (the `**/`
    matching nothing joins the two), and so on for each `**/` that follows."""
    alternatives: list[str] = []
    while len(alternatives) < _MAX_ALTERNATIVES:
        first = next((i for i, char in enumerate(body) if char in "*?[\\"), None)
        if first is None or first == 0 or body[first - 1] == "/" or body[first:first + 2] != "**":
            return [*alternatives, body]
        end = first
        while end < len(body) and body[end] == "*":
            end += 1
        if end == len(body):
            return [*alternatives, body[:first] + "*", body[:first] + "*/**"]
        if body[end] != "/":
            return [*alternatives, body]
        alternatives.append(body[:first] + "*/**" + body[end:])
        body = body[:first] + body[end + 1:]
    return [*alternatives, body]


def compile_pattern(line: str, strict: bool = False) -> Pattern | None:
    """A gitignore line compiled; None for a blank line or a comment; raises PatternError
    for a line git would never match (`strict`: also for a reversed range such as [z-a],
    which git lets match nothing)."""
    line = _trim_trailing_spaces(line.rstrip("\r\n"))
    if not line or line.startswith("#"):
        return None
    if len(line) - line.count("*") - line.count("/") > MAX_PATTERN_LENGTH:
        raise PatternError(f"it needs a path longer than {MAX_PATTERN_LENGTH} characters")
    negated = line.startswith("!")
    body = line[1:] if negated else line
    if body.startswith(("\\!", "\\#")):
        body = body[1:]
    if not body:
        raise PatternError("it negates nothing" if negated else "it is empty")
    if body.endswith("\\") and not body.endswith("\\\\"):
        raise PatternError("it ends with a backslash")
    directory_only = body.endswith("/") and not body.endswith("\\/")
    if directory_only:
        body = body.rstrip("/")
        if not body:
            raise PatternError("it names no path")
    anchored = "/" in body
    bodies = _as_git_strips_the_prefix(body.lstrip("/")) if anchored else [body]
    problems: list[str] = []
    alternatives = []
    for text in bodies:
        pieces = text.split("/")
        if not anchored and re.fullmatch(r"\*{2,}", pieces[0]):
            pieces = ["*"]  # ** alone matches any name, as * does
        try:
            segments = tuple(_segment(piece, problems) for piece in pieces if piece != "")
        except re.error as error:  # not expected: every piece is escaped
            raise PatternError(str(error)) from None
        if not segments:
            raise PatternError("it names no path")
        alternatives.append(segments)
    if strict and problems:
        raise PatternError(problems[0])
    return Pattern(line, negated, directory_only, anchored, tuple(alternatives))


_WILDCARDS = re.compile(r"[*?\[\\]")
_NEVER = Pattern("", False, True, True, ((_Segment("", globstar=False),) * 2,))  # a path of two empty names


def _plain_place(line: str) -> tuple[str, str] | None:
    """Where a .gitignore line goes in the index, told from its text alone, for the plain
    shapes of long generated lists; None for anything else (compiled at once)."""
    line = line.rstrip("\r\n")
    if not line or line[0] in "#!" or line[-1] in " \t" or "\\" in line:
        return None
    body = line.rstrip("/") if line.endswith("/") else line
    if not body:
        return None
    if "/" in body:
        stripped = body.lstrip("/")
        first = stripped.split("/", 1)[0]
        if not first or _WILDCARDS.search(first) or len(_as_git_strips_the_prefix(stripped)) != 1:
            return None
        return "first", first
    if not _WILDCARDS.search(body):
        return "names", body
    suffix = body.lstrip("*")
    if body.startswith("*") and len(suffix) > 1 and not _WILDCARDS.search(suffix):
        return "suffixes", suffix
    return None


@dataclass
class PatternList:
    """The patterns of one .gitignore (or of --exclude): the last one that matches decides.

    Literal names, `*.suffix` patterns and paths that start with a literal directory, most
    of any real list, are looked up in dictionaries; the rest are tried from the last one
    back, each after a cheap test of the literal text it needs, so a list of 45,000 lines
    costs little per name."""

    patterns: list[Pattern] = field(default_factory=list)
    _names: dict[str, list[int]] = field(default_factory=dict)  # unanchored literal names
    _suffixes: dict[str, list[int]] = field(default_factory=dict)  # unanchored *suffix
    _first: dict[str, list[int]] = field(default_factory=dict)  # anchored, by a literal first segment
    _others: list[int] = field(default_factory=list)

    @classmethod
    def from_lines(cls, lines, strict: bool = False) -> PatternList:
        """Compile each line; `strict`: raise PatternError naming a bad line (patterns the
        user gave), else skip it (a .gitignore, as git does). In a .gitignore, the lines
        whose place in the index their text tells (a literal name, `*.suffix`, a path
        under a literal directory) are compiled only when a path reaches them: a list of
        45,000 lines costs a split of each line, not a compilation."""
        result = cls()
        for line in lines:
            if not strict:
                place = _plain_place(line)
                if place is not None:
                    result._add_plain(line, *place)
                    continue
            try:
                pattern = compile_pattern(line, strict)
            except PatternError as error:
                if strict:
                    raise PatternError(f"'{line}' is not a valid pattern: {error}") from None
                continue
            if pattern is not None:
                result.add(pattern)
        return result

    def add(self, pattern: Pattern) -> None:
        index = len(self.patterns)
        self.patterns.append(pattern)
        first = pattern.segments[0]
        if len(pattern.alternatives) > 1:
            bucket = self._others
        elif pattern.anchored:
            bucket = self._first.setdefault(first.literal, []) if first.literal is not None else self._others
        elif first.literal is not None:
            bucket = self._names.setdefault(first.literal, [])
        elif first.star_first and not first.star_last and len(first.chunks) == 1 and first.required \
                and len(first.required[0]) == first.lengths[0]:
            bucket = self._suffixes.setdefault(first.required[0], [])
        else:
            bucket = self._others
        bucket.append(index)

    def _add_plain(self, line: str, bucket: str, key: str) -> None:
        index = len(self.patterns)
        self.patterns.append(line)  # compiled on first use (pattern())
        {"names": self._names, "suffixes": self._suffixes, "first": self._first}[bucket].setdefault(
            key, []).append(index)

    def pattern(self, index: int) -> Pattern:
        """The pattern at `index`, compiled when it was kept as text."""
        pattern = self.patterns[index]
        if isinstance(pattern, str):
            try:
                pattern = compile_pattern(pattern) or _NEVER
            except PatternError:
                pattern = _NEVER
            self.patterns[index] = pattern
        return pattern

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def _candidates(self, parts: tuple[str, ...]):
        name = parts[-1]
        yield from self._names.get(name, ())
        yield from self._first.get(parts[0], ())
        if self._suffixes:
            for cut in range(len(name)):
                yield from self._suffixes.get(name[cut:], ())

    def decide(self, parts: tuple[str, ...], is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a negated pattern; None: no pattern matches."""
        if not parts:
            return None
        best = -1
        patterns = self.patterns
        for index in self._candidates(parts):
            if index > best and self.pattern(index).matches(parts, is_dir):
                best = index
        for index in reversed(self._others):
            if index <= best:
                break
            if patterns[index].matches(parts, is_dir):
                best = index
                break
        return None if best < 0 else not self.pattern(best).negated

    def excludes(self, parts: tuple[str, ...], is_dir: bool) -> bool:
        """Whether a path is excluded: itself, or a directory it lies in (git never looks
        inside an excluded directory, so nothing in it can be included again)."""
        for size in range(1, len(parts)):
            if self.decide(parts[:size], True):
                return True
        return bool(self.decide(parts, is_dir))
