"""Fuzzing on a fixed budget in every test run; `tests/fuzz/run` runs longer on demand.

Whatever the input, linting returns: no internal error (ASL004), no exception, and every
reporter writes its document (JSON and SARIF parse). Crashers found on the way are kept in
crashers.yaml with the diagnostics they must give.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl_lint.config import Config
from asl_lint.diagnostics import LintResult
from asl_lint.engine import lint_text
from asl_lint.reporters import REPORTERS
from mutate import as_host_file, mutate, seed_definitions
from strategies import definitions, hosted

EVERY_RULE = Config(select=("ALL", "ASL510", "ASL511", "ASL512", "ASL513"))
CRASHERS = yaml.safe_load((Path(__file__).parent / "crashers.yaml").read_text(encoding="utf-8"))
SEEDS = seed_definitions()


def lint_everywhere(name: str, text: str) -> list[str]:
    """Lint one input and write it in every format; the rules that fired."""
    report = lint_text(text, name, EVERY_RULE)
    crashes = [d.message for d in report.diagnostics if d.rule == "ASL004"]
    assert not crashes, (name, text[:500], crashes)
    result = LintResult(report.diagnostics, 1, report.machines)
    _fixes_keep_it_readable(name, text, report.diagnostics)
    for fmt, reporter in REPORTERS.items():
        stream = io.StringIO()
        reporter(result, stream, "never")
        if fmt in ("json", "sarif"):
            json.loads(stream.getvalue())
    return sorted({d.rule for d in report.diagnostics})


def _fixes_keep_it_readable(name: str, text: str, diagnostics) -> None:
    """Every fix, the unsafe ones too, each on its own and all that fit together, leaves a
    file that still parses."""
    from asl_lint.run.fix import _reads
    from asl_lint.fixes import apply, compatible

    fixes = [d.fix for d in diagnostics if d.fix is not None and d.file == name]
    for fix in fixes:
        assert _reads(apply(text, fix.edits), name), (name, text[:500], fix)
    together = compatible(fixes)
    if len(together) > 1:
        assert _reads(apply(text, [edit for fix in together for edit in fix.edits]), name), (name, text[:500])


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(definitions(), st.integers(min_value=0, max_value=2**32))
def test_generated_definitions_never_break_asl_lint(definition: dict, seed: int) -> None:
    lint_everywhere(*hosted(definition, seed))


def test_mutated_fixtures_never_break_asl_lint() -> None:
    rng = random.Random(20261130)
    for _ in range(300):
        _, data = rng.choice(SEEDS)
        lint_everywhere(*as_host_file(mutate(data, rng, rng.randrange(1, 5)), rng))


def test_the_compiled_schema_check_agrees_with_jsonschema() -> None:
    from asl_lint.rules.schema.validate import _units
    from asl_lint.schemas import fast_unit_check, unit_validator

    if fast_unit_check() is None:
        pytest.skip("jsonschema-rs is not installed")
    rng = random.Random(7)
    for _ in range(200):
        _, data = rng.choice(SEEDS)
        for _, definition, instance in _units(mutate(data, rng, rng.randrange(1, 5))):
            errors = list(unit_validator(definition).iter_errors(instance))
            assert fast_unit_check(definition)(instance) == (not errors), (definition, instance)


def test_findings_worded_from_jsonschema_rs_errors_are_jsonschemas(monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema pass words its findings from jsonschema-rs errors (rules/schema/_rust_errors.py);
    on damaged definitions they are exactly those worded from jsonschema's errors."""
    import asl_lint.rules.schema.validate as schema_pass

    if schema_pass.rust_unit() is None:
        pytest.skip("jsonschema-rs is not installed")

    def findings(data: object) -> list:
        return sorted((rule, tuple(map(str, f.path)), f.message, f.anchor)
                      for rule, f in schema_pass.schema_findings(data, set()))

    rng = random.Random(11)
    compared = 0
    for _ in range(300):
        _, data = rng.choice(SEEDS)
        damaged = mutate(data, rng, rng.randrange(1, 5))
        from_rust = findings(damaged)
        with monkeypatch.context() as patched:
            patched.setattr(schema_pass, "rust_unit", lambda definition=None: None)
            from_jsonschema = findings(damaged)
        assert from_rust == from_jsonschema, damaged
        compared += bool(from_rust)
    assert compared > 100  # the damage reaches the schema pass


@pytest.mark.parametrize("crasher", CRASHERS, ids=lambda crasher: crasher["name"])
def test_crashers_found_give_their_diagnostics(crasher: dict) -> None:
    assert lint_everywhere(crasher["file"], crasher["text"]) == sorted(crasher["expect"])
