"""JSONPath as asl-lint reads it: a path of plain names after dots is read with one match,
and must be read exactly as the step parser reads it."""

from __future__ import annotations

import re

import pytest

from asl_lint.lang import paths

PLAIN = ["$", "$$", "$.result", "$.result.value.kind", "$$.Execution.Id", "$$.Map.Item.Value", "$step",
         "$order.items", "$_x.y", "$.B0_L", "$.a-b.c", "$.0.x", "$.Payload  ", "$$.State.Name\n"]
NOT_PLAIN = ["$.a[0]", "$.a[0]b", "$..x", "$.*", "$['a b']", "$.a\\.b", "$1abc", "$var-x.y", "$.", "$.a.", " $.a",
             "$.a b", "$$x", "$.é", "x", "$.a[?(@.b)]"]


def _read_by_steps(text: str, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setattr(paths, "_PLAIN_PATH", re.compile(r"(?!)"))  # no text is plain: every one goes by steps
    try:
        return paths._parse_path(text)
    except paths.PathError as error:
        return (error.message, error.offset, error.end)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("text", PLAIN)
def test_a_plain_path_is_read_as_the_step_parser_reads_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths._PLAIN_PATH.fullmatch(text.rstrip())
    assert paths._parse_path(text) == _read_by_steps(text, monkeypatch)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_any_other_path_goes_by_steps(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not paths._PLAIN_PATH.fullmatch(text.rstrip())
    try:
        read = paths._parse_path(text)
    except paths.PathError as error:
        read = (error.message, error.offset, error.end)
    assert read == _read_by_steps(text, monkeypatch)
