"""The static rule catalogue: current with the rules, and what it spares a run from importing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from asl_lint.rules.catalogue import catalogue, rows_of_the_rules, written_rows

ROOT = Path(__file__).resolve().parents[1]
DEFINITION = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}


def test_the_catalogue_is_the_rules_as_they_are() -> None:
    assert written_rows() == rows_of_the_rules(), "run: python -m asl_lint.rules.catalogue"
    assert list(catalogue()) == sorted(catalogue())


def _modules_after(tmp_path: Path, code: str) -> dict:
    """The modules a fresh interpreter has loaded after running `code`."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "", "HOME": str(tmp_path)})
    return json.loads(done.stdout.splitlines()[-1])


def test_a_check_imports_only_the_modules_of_the_rules_it_runs(tmp_path: Path) -> None:
    (tmp_path / "flow.asl.json").write_text(json.dumps(DEFINITION), encoding="utf-8")
    loaded = _modules_after(tmp_path, "from asl_lint import Config, lint_paths\n"
                                      "found = lint_paths(['flow.asl.json'], Config(select=('ASL202',)), jobs=1)\n"
                                      "assert [d.rule for d in found.diagnostics] == ['ASL202'], found.diagnostics")
    rule_modules = {module for module in loaded if module.startswith("asl_lint.rules.") and
                    module.count(".") == 3 and not module.rsplit(".", 1)[1].startswith("_")}
    # the schema pass runs on every definition; of the rules, only the one selected
    assert rule_modules == {"asl_lint.rules.flow.transition_target_not_found", "asl_lint.rules.schema.validate"}


def test_a_run_the_cache_answers_imports_neither_the_engine_nor_a_rule(tmp_path: Path) -> None:
    (tmp_path / "flow.asl.json").write_text(json.dumps(DEFINITION), encoding="utf-8")
    run = ("from asl_lint.cli import main\n"
           "try:\n    main(['--isolated', '--cache-dir', 'cache', 'flow.asl.json'], standalone_mode=False)\n"
           "except SystemExit:\n    pass")
    assert "asl_lint.engine" in _modules_after(tmp_path, run)  # the first run checks
    warm = _modules_after(tmp_path, run)
    assert "asl_lint.engine" not in warm and "asl_lint.extract" not in warm
    assert not [module for module in warm if module.startswith("asl_lint.rules.") and module != "asl_lint.rules.catalogue"
                and module not in ("asl_lint.rules.base", "asl_lint.rules.selectors")]
    # nothing is logged without -v, nothing written without a change: neither is imported
    assert "logging" not in warm and "tempfile" not in warm


def test_lazy_loggers_pass_records_on_once_logging_is_set_up(tmp_path: Path) -> None:
    quiet = _modules_after(tmp_path, "from asl_lint.logs import get_logger\nget_logger('asl_lint.x').debug('%s', 1)")
    assert "logging" not in quiet
    heard = subprocess.run([sys.executable, "-c", "import logging\nlogging.basicConfig(level=logging.DEBUG)\n"
                            "from asl_lint.logs import get_logger\nget_logger('asl_lint.x').debug('seen %s', 1)"],
                           capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""}, check=True)
    assert "DEBUG:asl_lint.x:seen 1" in heard.stderr
