"""HCL (Terraform's language) read with tree-sitter's HCL grammar.

tree-sitter parses in C (a 50-state `jsonencode` definition in 2 ms, 20 times faster than
a Python parser), keeps every position and recovers from errors; asl-lint reports the
first error and reads nothing more of such a file. Positions come as UTF-8 byte offsets
and are turned into the character offsets the rest of asl-lint uses. Both libraries are
imported only when a Terraform file is read.
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from ..limits import MAX_HCL_BYTES, MAX_VALUE_DEPTH
from .document import Document
from .errors import LoadError, too_deep_message
from .positions import LineIndex
from .sourcemap import SourceMap

_NON_ASCII = re.compile("[^\x00-\x7f]")
_CLOSERS = {"}", "]", ")", "block_end", "object_end", "tuple_end", "template_interpolation_end"}
_SKIPPED = {"comment"}  # tree-sitter's extras, anywhere in a tree


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


# tree-sitter's HCL scanner is asked at every character of whitespace (about 130 ns each)
# and of a heredoc's text (about 350 ns), so the indentation of a formatted file takes
# half its parse and a heredoc of JSON most of it. Neither changes the tree: indentation
# never does (quoted strings hold no newline; heredoc end markers may be indented), nor
# does a line of a heredoc without `${` or `%{`, which is literal text. So tree-sitter
# reads the text without them, and offsets are mapped back; the heredoc lines are
# checked to have been literal in the tree, and the file parsed whole when one was not.
_HEREDOC_START = re.compile(rb"<<-?([A-Za-z_][\w-]*)[ \t]*\r?$")


class HclFile:
    """A parsed .tf file: its text and syntax tree, with character offsets for nodes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        squeezed, self._cuts, self._shifts, literal = _squeezed(self.data)
        self.tree = _parser().parse(squeezed)
        self.root = self.tree.root_node
        if literal and not all(_in_heredoc_text(self.root, self._cuts[first], self._cuts[last])
                               for first, last in _runs(literal)):
            squeezed, self._cuts, self._shifts, _ = _squeezed(self.data, heredocs=False)
            self.tree = _parser().parse(squeezed)
            self.root = self.tree.root_node
        # Byte offset -> character offset: the same but after each character of 2 to 4
        # bytes, which adds its extra bytes; found by bisection over those characters.
        self._wide: list[int] = []  # byte offsets just after each multi-byte character
        self._extra: list[int] = []  # extra bytes up to and including it
        if len(self.data) != len(text):
            extra = 0
            for match in _NON_ASCII.finditer(text):
                width = len(match.group().encode("utf-8", "surrogatepass"))
                extra += width - 1
                self._wide.append(match.start() + 1 + extra)
                self._extra.append(extra)

    def _byte(self, parsed: int, end: bool = False) -> int:
        """The byte offset in the file of an offset in the text tree-sitter read; an end
        offset stays before the whitespace that was taken out there."""
        row = (bisect.bisect_left if end else bisect.bisect_right)(self._cuts, parsed) - 1
        return parsed + (self._shifts[row] if row >= 0 else 0)

    def offset(self, byte: int) -> int:
        if not self._wide:
            return byte
        row = bisect.bisect_right(self._wide, byte) - 1
        return byte - (self._extra[row] if row >= 0 else 0)

    def _first_byte(self, node) -> int:
        # Nodes start at a token, after whitespace; only the file's own node holds what is before.
        return 0 if node.start_byte == 0 and node.type == "config_file" else self._byte(node.start_byte)

    def start(self, node) -> int:
        return self.offset(self._first_byte(node))

    def end(self, node) -> int:
        return self.offset(self._byte(node.end_byte, True))

    def source(self, node) -> str:
        start, end = node.start_byte, node.end_byte
        cuts = self._cuts
        row = bisect.bisect_right(cuts, start) - 1
        if start and (row + 1 == len(cuts) or cuts[row + 1] >= end):  # one line: one shift for both ends
            shift = self._shifts[row] if row >= 0 else 0
            return self.data[start + shift:end + shift].decode("utf-8", "surrogatepass")
        return self.data[self._first_byte(node):self._byte(end, True)].decode("utf-8", "surrogatepass")

    def first_error(self):
        """The first node tree-sitter could not parse (an ERROR or a MISSING node)."""
        if not self.root.has_error:
            return None
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.type == "ERROR" or node.is_missing:
                return node
            stack.extend(reversed([child for child in node.children if child.has_error or child.is_missing]))
        return self.root


def _squeezed(data: bytes, heredocs: bool = True) -> tuple[bytes, list[int], list[int], list[int]]:
    """`data` without the indentation of its lines (nor, with `heredocs`, the text of its
    heredoc lines without `${` or `%{`); the offset (in the squeezed text) of each line, with
    the total taken out up to and including that line; and which heredoc lines were taken."""
    lines = data.split(b"\n")
    kept = [line.lstrip(b" \t") for line in lines]
    literal: list[int] = []
    if heredocs and b"<<" in data:
        marker = None
        for index, line in enumerate(kept):
            if marker is not None:
                if line.rstrip(b" \t\r") == marker:
                    marker = None
                elif line and b"${" not in line and b"%{" not in line:
                    kept[index] = b""
                    literal.append(index)
            elif b"<<" in line:
                found = _HEREDOC_START.search(line)
                marker = found.group(1) if found else None
    shifts = list(accumulate(map(operator.sub, map(len, lines), map(len, kept))))
    if not shifts[-1]:
        return data, [], [], []
    cuts = list(accumulate(map((1).__add__, map(len, kept[:-1])), initial=0))  # each line and its newline
    return b"\n".join(kept), cuts, shifts, literal


def _runs(lines: list[int]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive line numbers."""
    found: list[tuple[int, int]] = []
    for line in lines:
        if found and found[-1][1] == line - 1:
            found[-1] = (found[-1][0], line)
        else:
            found.append((line, line))
    return found


def _in_heredoc_text(root, start: int, end: int) -> bool:
    """Whether a stretch of the squeezed text is literal text of one heredoc in the tree."""
    node = root.descendant_for_byte_range(start, end)
    if node is not None and node.type == "template_literal":
        node = node.parent
    return node is not None and node.type == "heredoc_template"


def parse_hcl(text: str) -> HclFile:
    """The syntax tree of a .tf file; raises LoadError at the first syntax error."""
    size = len(text.encode("utf-8", "surrogatepass")) if not text.isascii() else len(text)
    if size > MAX_HCL_BYTES:
        raise LoadError(f"the file is {size:,} bytes of HCL, more than asl-lint parses (MAX_HCL_BYTES,"
                        f" {MAX_HCL_BYTES:,}: the syntax tree takes about 100 times that in memory); its state"
                        " machines are not checked", 0, "too-complex")
    parsed = HclFile(text)
    error = parsed.first_error()
    if error is None:
        return parsed
    tokens = [token for token in error.children if token.type not in _SKIPPED]
    if error.type == "ERROR" and error.end_byte >= parsed.root.end_byte and tokens:
        # Recovery gave up and swallowed the rest of the file: the parse went wrong at the
        # last token it could not fit, not where the swallowed block starts.
        error = tokens[-1]
        if error.type not in _CLOSERS and error.type != "ERROR" and not error.is_missing:
            raise LoadError("HCL syntax error: the file ends before its last block, object or call is closed",
                            parsed.end(error))
    what = f"'{parsed.source(error)[:20]}'" if error.end_byte > error.start_byte else "the end of the text"
    message = f"HCL syntax error: expected something else before {what}" if error.is_missing else \
        f"HCL syntax error at {what}"
    raise LoadError(message + _hcl1_note(text), parsed.start(error))


# What Terraform 0.11 (HCL1) wrote and 0.12 changed: quoted type constraints, a
# required_version below 0.12, map elements on one line without commas.
_HCL1_MARKS = re.compile(r'\btype\s*=\s*"(?:map|list|string)"|required_version\s*=\s*"[^"]*\b0\.(?:[0-9]|1[01])\b'
                         r'|=\s*\{[^{}\n,]*"\s+[A-Za-z_][\w-]*\s*=')


def _hcl1_note(text: str) -> str:
    if _HCL1_MARKS.search(text) is None:
        return ""
    return ("; this looks like Terraform 0.11 (HCL1) syntax, which Terraform 0.12 and later reject too"
            " (terraform 0.12upgrade rewrites it)")


def children(node, *types: str) -> list:
    """The named children of a node (of these types, when given), comments left out."""
    if types:
        return [child for child in node.named_children if child.type in types]
    return [child for child in node.named_children if child.type not in _SKIPPED]


def child(node, *types: str):
    for found in node.named_children:
        if (found.type in types) if types else found.type not in _SKIPPED:
            return found
    return None


WRAPPERS = frozenset(("expression", "literal_value", "collection_value", "template_expr", "for_expr"))


def unwrap(node):
    """The expression inside `expression`, `literal_value`, `collection_value` and
    parentheses: the node that says what the value is."""
    while node is not None and node.type in WRAPPERS:
        inner = node.named_children
        if len(inner) != 1 or inner[0].type in _SKIPPED:
            inner = [found for found in inner if found.type not in _SKIPPED]
            if len(inner) != 1:
                return node
        node = inner[0]
    return node


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def literal_text(raw: str, quoted: bool) -> str:
    """decode_literal's text alone; most literals have nothing to decode."""
    if ("\\" not in raw or not quoted) and "{" not in raw:
        return raw
    return decode_literal(raw, quoted)[0]


def decode_literal(raw: str, quoted: bool) -> tuple[str, list[int]]:
    """The text of a template literal, and for each character the offset in `raw` it
    came from: escapes (in quoted strings only) and the $${ and %%{ that stand for ${ and %{."""
    text: list[str] = []
    positions: list[int] = []
    i = 0
    while i < len(raw):
        char = raw[i]
        if quoted and char == "\\" and i + 1 < len(raw):
            follow = raw[i + 1]
            if follow in _ESCAPES:
                text.append(_ESCAPES[follow])
                positions.append(i)
                i += 2
                continue
            width = {"u": 4, "U": 8}.get(follow)
            if width and i + 2 + width <= len(raw):
                try:
                    text.append(chr(int(raw[i + 2:i + 2 + width], 16)))
                    positions.append(i)
                    i += 2 + width
                    continue
                except ValueError:
                    pass
        if char in "$%" and raw[i + 1:i + 3] == char + "{":
            text.append(char)
            positions.append(i)
            i += 2  # $${ -> ${: the second character is the one kept with the brace
            continue
        text.append(char)
        positions.append(i)
        i += 1
    return "".join(text), positions


def check_depth(depth: int, at: int) -> None:
    if depth > MAX_VALUE_DEPTH:
        raise LoadError(too_deep_message(), at, "too-complex")


@dataclass
class TextPiece:
    """Text built from a template (a heredoc, a quoted string), mapped back to the .tf file
    by runs: from `runs[i] = (offset in text, offset in file, moves)` on, each character
    stands for the next character of the file, or (a placeholder) all for one place."""

    text: str
    runs: list[tuple[int, int, bool]]
    has_directives: bool = False

    def to_host(self, offset: int) -> int | None:
        if not self.runs or not 0 <= offset <= len(self.text):
            return None
        start, host, moves = self.runs[bisect.bisect_right(self.runs, (offset, float("inf"))) - 1]
        return host + (offset - start if moves else 0)


class TextBuilder:
    """Builds a TextPiece run by run."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.runs: list[tuple[int, int, bool]] = []
        self.length = 0

    def add(self, text: str, host: int, moves: bool = True) -> None:
        if text:
            self.runs.append((self.length, host, moves))
            self.parts.append(text)
            self.length += len(text)

    def literal(self, raw: str, host: int, quoted: bool) -> None:
        """Template literal text written at `host`: its escapes decoded, each run mapped."""
        position = 0
        for match in (_QUOTED_ESCAPE if quoted else _TEMPLATE_ESCAPE).finditer(raw):
            self.add(raw[position:match.start()], host + position)
            self.add(decode_literal(match.group(), quoted)[0], host + match.start(), False)
            position = match.end()
        self.add(raw[position:], host + position)

    def piece(self, has_directives: bool = False) -> TextPiece:
        return TextPiece("".join(self.parts), self.runs, has_directives)


_TEMPLATE_ESCAPE = re.compile(r"\$\$\{|%%\{")
_QUOTED_ESCAPE = re.compile(r"\$\$\{|%%\{|\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)


def trimmed(piece: TextPiece) -> TextPiece:
    """A `<<-` heredoc without the indentation its lines share, as Terraform reads it."""
    lines = piece.text.splitlines(keepends=True)
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    if not cut:
        return piece
    built, at = TextBuilder(), 0
    for line in lines:
        # a blank line keeps its end; every other line loses `cut` characters of indentation
        skip = cut if line.strip() else min(cut, len(line.rstrip("\r\n")))
        start = at + skip
        while start < at + len(line):  # the rest of the line, run by run
            row = bisect.bisect_right(piece.runs, (start, float("inf"))) - 1
            run_end = piece.runs[row + 1][0] if row + 1 < len(piece.runs) else len(piece.text)
            end = min(run_end, at + len(line))
            built.add(piece.text[start:end], piece.to_host(start), piece.runs[row][2])
            start = end
        at += len(line)
    return built.piece(piece.has_directives)


# ---- HCL and templates as Documents


def load_hcl_document(text: str, filename: str | None = None) -> Document:
    """A .tf file as a Document: its syntax tree, and a source map filled as values are read."""
    parsed = parse_hcl(text)
    return Document(None, SourceMap(LineIndex(text)), "hcl", text=text, syntax=parsed)
