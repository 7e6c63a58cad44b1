"""Whole example files against their reviewed JSON reports (pytest --update-golden rewrites)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from asl_lint.api import lint_paths
from asl_lint.reporters import REPORTERS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "fixtures" / "examples").rglob("*")
                  if p.suffix in (".json", ".yaml", ".yml", ".tf", ".tftpl"))


def _report(relative: str) -> dict:
    stream = io.StringIO()
    REPORTERS["json"](lint_paths([relative]), stream)
    return json.loads(stream.getvalue())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.relative_to(ROOT / "fixtures" / "examples").as_posix())
def test_example_matches_golden_report(example: Path, update_golden: bool, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    relative = example.relative_to(ROOT).as_posix()
    golden = ROOT / "fixtures" / "golden" / (example.relative_to(ROOT / "fixtures" / "examples").as_posix() + ".json")
    actual = _report(relative)
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


def test_valid_examples_are_clean(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = lint_paths(["fixtures/examples/valid"])
    assert result.files >= 2 and result.diagnostics == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.relative_to(ROOT / "fixtures" / "examples").as_posix())
def test_example_fixes_match_golden_diff(example: Path, update_golden: bool, monkeypatch) -> None:
    # Every fix, the unsafe ones too, on every example: the reviewed diff, and every fixed
    # file still reads (fix_paths changes a file only while it parses).
    from asl_lint.api import fix_paths
    from asl_lint.fixes import unified_diff

    monkeypatch.chdir(ROOT)
    relative = example.relative_to(ROOT).as_posix()
    golden = ROOT / "fixtures" / "golden" / "fixes" / (
        example.relative_to(ROOT / "fixtures" / "examples").as_posix() + ".diff")
    outcome = fix_paths([relative], unsafe=True)
    actual = "".join(unified_diff(name, *change) for name, change in sorted(outcome.changed.items()))
    if update_golden:
        golden.unlink(missing_ok=True)
        if actual:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
    assert actual == (golden.read_text(encoding="utf-8") if golden.exists() else "")
    assert not [d for d in outcome.result.diagnostics if d.fix is not None]
