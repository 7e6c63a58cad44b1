"""The real-world corpus: files their authors deployed must give no error diagnostics."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from asl_lint.config import Config
from asl_lint.diagnostics import Severity
from asl_lint.engine import lint_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EXCEPTIONS_FILE = Path(__file__).resolve().parent / "corpus_exceptions.yaml"
# Plain definitions and every kind of file that holds them, Terraform included.
KINDS = ("asl", "sam", "cfn", "cdk", "serverless", "terraform")

pytestmark = pytest.mark.skipif(not (CORPUS / "MANIFEST.tsv").is_file(), reason="../shared/corpus is absent")


def _valid_definitions() -> list[str]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as manifest:
        rows = csv.DictReader(manifest, delimiter="\t", quoting=csv.QUOTE_NONE)
        return sorted(
            row["path"] for row in rows
            if row["kind"] in KINDS and row["label"] == "valid" and "LABEL CONFLICT" not in row["notes"]
        )


def _exceptions() -> dict[str, set[str]]:
    entries = yaml.safe_load(EXCEPTIONS_FILE.read_text(encoding="utf-8"))
    return {path: set(entry["rules"]) for entry in entries for path in entry["paths"]}


FILES = _valid_definitions()
EXCEPTIONS = _exceptions()


def _errors(relative: str) -> set[str]:
    # Templates read their DefinitionUri files relative to themselves: lint from the corpus.
    path = CORPUS / relative
    report = lint_text(path.read_text(encoding="utf-8-sig"), str(path), Config())
    return {d.rule for d in report.diagnostics if d.severity >= Severity.ERROR}


def test_the_corpus_is_there_to_check() -> None:
    assert len(FILES) > 600 and sum(path.endswith(".tf") for path in FILES) >= 30


@pytest.mark.parametrize("relative", FILES)
def test_deployed_definition_has_no_errors(relative: str) -> None:
    expected = EXCEPTIONS.get(relative, set())
    assert _errors(relative) == expected


def test_every_exception_is_a_listed_valid_file() -> None:
    assert set(EXCEPTIONS) <= set(FILES)
