"""No input makes asl-lint raise: mangled files, odd text, a failure deep inside one file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint import api, engine
from asl_lint.cli import main
from asl_lint.config import Config
from asl_lint.engine import lint_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "fixtures" / "examples").rglob("*") if p.suffix in (".json", ".yaml", ".yml"))
NOISE = ['"', "{", "}", "[", "]", ",", ":", "\\", "\n", "\t", "&a", "*a", "!Ref ", "${X}", "-", "\x00", "\u2028"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_truncated_and_mangled_files_never_raise(example: Path) -> None:
    text = example.read_text(encoding="utf-8")
    rng = random.Random(example.name)  # seeded: the same mutations every run
    variants = [text[:cut] for cut in range(0, len(text), max(1, len(text) // 60))]
    for _ in range(150):
        at = rng.randrange(len(text))
        variants.append(text[:at] + rng.choice(NOISE) + text[at + rng.randrange(4):])
    for variant in variants:
        lint_text(variant, example.name, Config())  # must return, whatever the input


def test_lone_surrogates_are_written_escaped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.asl.json").write_text('{"StartAt": "\\ud800", "States": {"A": {"Type": "Succeed"}}}', encoding="utf-8")
    for fmt in ("text", "json", "sarif", "github"):
        result = CliRunner().invoke(main, ["--format", fmt, "s.asl.json"], catch_exceptions=False)
        assert result.exit_code == 1
        assert "\\ud800" in result.output


def test_undecodable_stdin_is_a_diagnostic() -> None:
    result = CliRunner().invoke(main, ["--format", "json", "-"], input=b"\xff\xfe{", catch_exceptions=False)
    assert result.exit_code == 1
    assert [d["rule"] for d in json.loads(result.stdout)["diagnostics"]] == ["ASL005"]


def test_a_failure_while_reading_one_file_does_not_stop_the_others(tmp_path: Path, monkeypatch) -> None:
    real = engine.lint_text

    def flaky(text, file, *args):
        if file.endswith("first.asl.json"):
            raise MemoryError("simulated")
        return real(text, file, *args)

    monkeypatch.setattr(engine, "lint_text", flaky)
    first, second = tmp_path / "first.asl.json", tmp_path / "second.asl.json"
    first.write_text("{}", encoding="utf-8")
    second.write_text('{"StartAt": "A", "States": {}}', encoding="utf-8")
    result = api.lint_paths([str(first), str(second)])
    assert [(d.rule, Path(d.file).name) for d in result.diagnostics] == [
        ("ASL004", "first.asl.json"), ("ASL201", "second.asl.json"), ("ASL105", "second.asl.json")]
