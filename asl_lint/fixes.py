"""Fixes: text edits at the places the source maps already know, one model for `--fix`
and the editor's quick fixes.

A rule proposes a fix in the terms it thinks in (rename this key, replace this value,
insert a character into this string, delete this member: `proposals.Proposal`, paths
into the definition). `fix_for` turns a proposal into `Edit`s of the file that holds the problem,
written in that file's own syntax: a JSON or YAML key or value in the style it is
written (plain, single or double quoted), an HCL identifier or string, and inside a
definition kept in a string (a `DefinitionString`, a heredoc) escaped for that string.
Where the text cannot be edited exactly (an intrinsic function, a folded YAML string) no
fix is offered. Edits are applied from the end of the file backwards, so what they do not
touch (formatting, comments, key order) stays as it is.

Safe fixes do not change what the state machine does; unsafe ones might.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .edits import Edit, Fix, member_removal, removal_fix, trimmed_end
from .proposals import Change, Proposal, replace
from .source.scalars import scalar_offset_map


def suppress(path: tuple, comment: object, rule: str, title: str) -> Proposal:
    """`asl-lint: disable=RULE` in the Comment of the object at `path` (a state, or the
    state machine): added to the directive it has, to its text, or as a new Comment."""
    if isinstance(comment, str):
        from .suppress import FIELD_DIRECTIVE  # here: only an editor's action needs it

        found = FIELD_DIRECTIVE.search(comment)
        if found:
            new = comment[:found.end(1)] + f",{rule}" + comment[found.end(1):]
        else:
            new = f"{comment.rstrip()} asl-lint: disable={rule}" if comment.strip() else f"asl-lint: disable={rule}"
        return replace(path + ("Comment",), new, title)
    return Proposal(title, (Change("add", path, "Comment", member=f"asl-lint: disable={rule}"),), True)


# ---- from a proposal to edits of the file


@dataclass
class _Layer:
    """Where a definition's locations point, and how that text maps into the file."""

    index: object  # the LineIndex of the text the locations are offsets into
    locations: object  # path -> Location
    prefix: tuple  # of the definition's paths in `locations`
    file_text: str
    to_file: Callable[[int, int], tuple[int, int] | None] | None  # None: the file's own text
    hcl: bool  # keys and values written in HCL (a jsonencode object)


def _layer(definition) -> _Layer | None:
    from .extract.embedded import EmbeddedSourceMap
    from .source.sourcemap import PrefixedSourceMap, SourceMap

    sourcemap = definition.sourcemap
    prefix: tuple = ()
    if isinstance(sourcemap, PrefixedSourceMap):
        sourcemap, prefix = sourcemap.host, sourcemap.prefix
    if isinstance(sourcemap, SourceMap):
        index = sourcemap.index
        return _Layer(index, sourcemap.locations, prefix, index.text, None, definition.file.lower().endswith(".tf"))
    if isinstance(sourcemap, EmbeddedSourceMap) and sourcemap.inner is not None:
        return _Layer(sourcemap.inner.index, sourcemap.inner.locations, (), sourcemap.host.text,
                      lambda start, end: _embedded_to_file(sourcemap, start, end), False)
    return None


def _embedded_to_file(sourcemap, start: int, end: int) -> tuple[int, int] | None:
    piece = sourcemap._piece(start)
    if piece is None or piece.to_host is None or not piece.start <= start <= end <= piece.end:
        return None
    first, last = piece.to_host(start - piece.start), piece.to_host(end - piece.start)
    return None if first is None or last is None or last < first else (first, last)


def fix_for(definition, proposal: Proposal) -> Fix | None:
    """The edits of `definition.file` that carry out `proposal`, or None where they cannot
    be written exactly."""
    layer = _layer(definition)
    if layer is None:
        return None
    filled_in = getattr(definition, "substituted", None)
    if filled_in and any(_within(tuple(change.path), tuple(path)) or _within(tuple(path), tuple(change.path))
                         for change in proposal.changes for path in filled_in):
        return None  # the text there is a variable's (a ${name}, a reference): the value lives elsewhere
    edits = []
    for change in proposal.changes:
        inner = _inner_edit(layer, definition, change)
        edit = inner and _to_file(layer, *inner)
        if edit is None:
            return None
        edits.append(edit)
    return Fix(proposal.title, tuple(sorted(edits, key=lambda edit: edit.start)), proposal.safe) \
        if not _overlapping(edits) else None


def _within(path: tuple, outer: tuple) -> bool:
    return path[:len(outer)] == outer


def _inner_edit(layer: _Layer, definition, change: Change) -> tuple[int, int, str] | None:
    if change.kind == "delete-repeat":
        return _repeat_removal(layer.index.text, change.first, change.at)
    location = layer.locations.get(layer.prefix + tuple(change.path))
    if location is None:
        return None
    text = layer.index.text
    if change.kind == "add":
        return _member_insertion(text, location.value_start, trimmed_end(text, location.value_start,
                                                                             location.value_end),
                                 change.value, change.member, layer.hcl)
    if change.kind == "rename":
        if location.key_start is None or location.key_end is None:
            return None
        new = render_like(text[location.key_start:location.key_end], change.value, layer.hcl)
        return None if new is None else (location.key_start, location.key_end, new)
    if change.kind == "replace":
        end = trimmed_end(text, location.value_start, location.value_end)
        new = render_like(text[location.value_start:end], change.value, layer.hcl)
        return None if new is None else (location.value_start, end, new)
    if change.kind == "insert":
        from .model import value_at

        value = value_at(definition.data, tuple(change.path))
        to_text = scalar_offset_map(layer.index, location, value) if isinstance(value, str) else None
        at = to_text(change.at) if to_text is not None else None
        if at is None or not change.value.isprintable() or any(char in change.value for char in "\"'\\"):
            return None
        return at, at, change.value
    start = location.key_start if location.key_start is not None else location.value_start
    first, last = member_removal(text, start, trimmed_end(text, location.value_start, location.value_end))
    return first, last, ""


def _member_insertion(text: str, start: int, end: int, key: str, value: str,
                      hcl: bool) -> tuple[int, int, str, tuple[int, int]] | None:
    """A new `key: value` member first in the object written at start..end: after its
    brace (on a line of its own when the next member is on one), or above the first key
    of a YAML block mapping; and the object's place, which says how to escape it."""
    written = json.dumps(value, ensure_ascii=False)
    if text[start:start + 1] == "{":
        member = (key if hcl and _HCL_IDENTIFIER.fullmatch(key) else json.dumps(key)) + (" = " if hcl else ": ") \
            + written
        inside = text[start + 1:end - 1]
        empty = not inside.strip()
        if inside.startswith(("\n", "\r\n")) and not empty:
            following = inside.lstrip("\r\n")
            indent = following[:len(following) - len(following.lstrip(" \t"))]
            return start + 1, start + 1, "\n" + indent + member + ("" if hcl else ","), (start, end)
        at = start + 2 if inside.startswith(" ") and not empty else start + 1
        return at, at, member + ("" if empty else ", "), (start, end)
    line_start = text.rfind("\n", 0, start) + 1
    indent = text[line_start:start]
    if indent.strip():
        return None  # a list item or a mapping on one line: no line of its own for the member
    key_written = key if _plain_yaml(key) else json.dumps(key)
    return start, start, f"{key_written}: {written}\n{indent}", (start, end)


def _repeat_removal(text: str, first: int, repeated: int) -> tuple[int, int, str] | None:
    """Removal of the member whose key is written at `repeated`, when it has the same
    value as the one at `first` (JSON, or YAML in block style)."""
    members = [_member_value(text, at) for at in (first, repeated)]
    if None in members:
        return None
    values = [text[start:end] for start, end in members]
    try:
        import yaml

        same = (json.loads(values[0]) == json.loads(values[1])) if text[repeated] == '"' else \
            yaml.safe_load(values[0]) == yaml.safe_load(values[1])
    except (ValueError, yaml.YAMLError):
        return None
    if not same:
        return None  # which value was meant is for the author to say
    start, end = member_removal(text, repeated, members[1][1])
    return start, end, ""


def _member_value(text: str, key: int) -> tuple[int, int] | None:
    """start..end of the value of the member whose key is written at `key`."""
    if text[key:key + 1] == '"':
        try:
            _, at = json.decoder.scanstring(text, key + 1)
            at = _skip_space(text, at)
            if text[at:at + 1] != ":":
                return None
            at = _skip_space(text, at + 1)
            _, end = json.JSONDecoder().raw_decode(text, at)
        except ValueError:
            return None
        return at, end
    line_start = text.rfind("\n", 0, key) + 1
    if text[line_start:key].strip():
        return None  # a flow mapping or a list item: not edited by lines
    line_end = text.find("\n", key)
    line_end = len(text) if line_end < 0 else line_end
    colon = text.find(":", key, line_end)
    if colon < 0:
        return None
    indent, end = key - line_start, line_end
    while end < len(text):  # the lines of a block value: blank, or indented deeper
        following = text.find("\n", end + 1)
        following = len(text) if following < 0 else following
        line = text[end + 1:following]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        end = following
    return colon + 1, trimmed_end(text, colon + 1, end)


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at




def _to_file(layer: _Layer, start: int, end: int, new: str, window: tuple[int, int] | None = None) -> Edit | None:
    """An edit of the definition's text as an edit of the file. `window`: for an
    insertion, the text around it that says how the file escapes what is written there."""
    if layer.to_file is None:
        return Edit(start, end, new)
    mapped = layer.to_file(start, end)
    around = layer.to_file(*window) if window else mapped
    if mapped is None or around is None:
        return None
    first, last = mapped
    inner_raw = layer.index.text[window[0]:window[1]] if window else layer.index.text[start:end]
    escaped = escape_like(inner_raw, layer.file_text[around[0]:around[1]], new)
    return None if escaped is None else Edit(first, last, escaped)


def escape_like(inner: str, written: str, new: str) -> str | None:
    """`new` written the way `inner` is written in the file (`written`): as it is (a YAML
    block scalar, a heredoc), escaped for a JSON or double-quoted string, or for a single-
    quoted YAML string; None when the way cannot be told."""
    if inner == written:
        return None if "\n" in new.strip("\n") and "\n" not in inner or "${" in new or "%{" in new else new
    for ascii_only in (False, True):
        if json.dumps(inner, ensure_ascii=ascii_only)[1:-1] == written:
            return json.dumps(new, ensure_ascii=ascii_only)[1:-1]
    if inner.replace("'", "''") == written:
        return new.replace("'", "''")
    return None


_HCL_IDENTIFIER = re.compile(r"[A-Za-z_][\w-]*")
_YAML_PLAIN = re.compile(r"[A-Za-z_$][\w$.\-/ ]*[\w$.\-/]|[A-Za-z_$]")


def render_like(raw: str, value: str, hcl: bool = False) -> str | None:
    """`value` as a key or string written in the style of `raw`, the text it replaces."""
    if "${" in value or "%{" in value:
        return None  # Terraform's and CloudFormation's own syntax: not written by a fix
    if raw.startswith('"'):
        return json.dumps(value, ensure_ascii=False)
    if raw.startswith("'"):
        return "'" + value.replace("'", "''") + "'"
    if hcl:
        return value if _HCL_IDENTIFIER.fullmatch(value) else json.dumps(value, ensure_ascii=False)
    return value if _plain_yaml(value) else json.dumps(value, ensure_ascii=False)


def _plain_yaml(value: str) -> bool:
    if not _YAML_PLAIN.fullmatch(value) or ": " in value or " #" in value:
        return False
    import yaml

    try:
        return yaml.safe_load(value) == value
    except yaml.YAMLError:
        return False


# ---- applying edits


def _overlapping(edits: Iterable[Edit]) -> bool:
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    return any(first.end > second.start for first, second in zip(ordered, ordered[1:]))


def apply(text: str, edits: Iterable[Edit]) -> str:
    """`text` with `edits` (which must not overlap) carried out, from the end backwards."""
    for edit in sorted(edits, key=lambda edit: edit.start, reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def unified_diff(name: str, before: str, after: str) -> str:
    """The change to one file, as `diff -u` and git show it."""
    import difflib

    text = "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        f"a/{name}", f"b/{name}"))
    return text if text.endswith("\n") or not text else text + "\n\\ No newline at end of file\n"


def compatible(fixes: Iterable[Fix]) -> list[Fix]:
    """The fixes, in order, that can be applied together: each one's edits overlap none
    of an earlier one's (the others wait for the next round, after a new check)."""
    taken: list[Fix] = []
    edits: list[Edit] = []
    for fix in fixes:
        if not _overlapping([*edits, *fix.edits]) and not any(edit in edits for edit in fix.edits):
            taken.append(fix)
            edits.extend(fix.edits)
    return taken


__all__ = ["Change", "Edit", "Fix", "Proposal", "apply", "compatible", "delete", "delete_repeat", "escape_like",
           "fix_for", "removal_fix",
           "insert", "member_removal", "rename", "render_like", "replace", "suppress", "unified_diff"]
