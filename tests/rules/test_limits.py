"""Size limits, checked with definitions too large to write into a case file."""

from __future__ import annotations

import json

import pytest

from asl_lint.config import Config
from asl_lint.engine import lint_text


def rules_for(definition: dict) -> list[str]:
    return [d.rule for d in lint_text(json.dumps(definition), "big.asl.json", Config()).diagnostics]


def test_definition_over_one_mebibyte() -> None:
    states = {f"S{i}": {"Type": "Pass", "Result": "x" * 1000, "Next": f"S{i + 1}"} for i in range(1100)}
    states["S1100"] = {"Type": "Succeed"}
    assert "ASL504" in rules_for({"StartAt": "S0", "States": states})


def test_definition_under_one_mebibyte() -> None:
    states = {f"S{i}": {"Type": "Pass", "Result": "x" * 100, "Next": f"S{i + 1}"} for i in range(100)}
    states["S100"] = {"Type": "Succeed"}
    assert "ASL504" not in rules_for({"StartAt": "S0", "States": states})


def test_static_result_over_256_kib() -> None:
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "x" * 300_000, "End": True}}}
    assert rules_for(definition) == ["ASL505"]


def test_static_result_under_256_kib() -> None:
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "x" * 200_000, "End": True}}}
    assert rules_for(definition) == []


def test_static_result_over_256_kib_in_bytes_not_characters() -> None:
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "\U0001F600" * 65_600, "End": True}}}
    assert rules_for(definition) == ["ASL505"]  # 65,600 characters, 262,402 bytes


@pytest.mark.parametrize("field", [
    '"' * 140_000,  # repr writes 140,002 characters, JSON 280,002 (each quote escaped)
    ["\x01" * 44_000],  # repr: \x01, 4 characters; JSON: \u0001, 6
    {"k": "\u00e9" * 140_000},  # 2 bytes a character
])
def test_payloads_that_grow_most_when_written_as_json_are_still_measured(field) -> None:
    """ASL505 skips encoding a field whose repr() is far below the limit: each of these
    is the worst case of one way JSON can outgrow repr(), and over the limit."""
    assert len(json.dumps(field, ensure_ascii=False).encode("utf-8")) > 262_144
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": field, "End": True}}}
    assert "ASL505" in rules_for(definition)


def test_numbers_that_grow_when_written_back_still_count() -> None:
    """A JSON text under the limit can build a definition over it: 1e15 is written back as
    1000000000000000.0 (4.5 times as long), and the size rules must not take the text's
    length for the definition's."""
    numbers = ",".join(["1e15"] * 60_000)  # 300,000 characters of text, 1,140,000 written back
    text = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": [%s], "End": true}}}' % numbers
    assert len(text) < 1_048_576 < len(json.dumps(json.loads(text), separators=(",", ":")))
    rules = [d.rule for d in lint_text(text, "numbers.asl.json", Config()).diagnostics]
    assert "ASL504" in rules and "ASL505" in rules
