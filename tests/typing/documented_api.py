"""The Python API as its documentation writes it: checked with mypy --strict by tests/test_typing.py."""

from pathlib import Path

from asl_lint import Config, LintResult, lint_paths, lint_text

config = Config(ignore="ASL406, ASL203", fail_on="never", severities={"ASL2": "info"}, select="ALL")
result: LintResult = lint_paths(Path("statemachines"), config)
summary = result.summary()
errors: int = summary["errors"]
text_result = lint_text('{"StartAt": "A"}', "flow.asl.json", Config(exclude=["generated/"], fail_on=None))
for d in text_result.diagnostics:
    print(d.file, d.line, d.rule, d.message)
