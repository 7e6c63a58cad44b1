"""Pictures of the state machines: golden Mermaid and DOT for the examples, checked by the
real renderers where they are installed, and the GitHub job summary."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ["invalid/broken-transitions.asl.json", "valid/jsonata-distributed-map.asl.yaml",
            "valid/order-processing.asl.json", "sam/template.yaml", "serverless-includes/serverless.yml"]
GOLDEN = ROOT / "fixtures" / "golden" / "graphs"


def draw(fmt: str, example: str) -> str:
    result = CliRunner().invoke(main, ["--graph", fmt, f"fixtures/examples/{example}"], catch_exceptions=False)
    assert result.exit_code in (0, 1)
    return result.output


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_graph_matches_golden(example: str, fmt: str, update_golden: bool, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    drawn = draw(fmt, example)
    golden = GOLDEN / (example.replace("/", "__") + (".mmd" if fmt == "mermaid" else ".dot"))
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(drawn, encoding="utf-8")
    assert drawn == golden.read_text(encoding="utf-8")


def test_mermaid_shows_types_transitions_scopes_and_problems(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    drawn = draw("mermaid", "invalid/broken-transitions.asl.json")
    assert '{"Choice: Route (ASL202)"}' in drawn  # a Choice is a diamond, with its rule ids
    assert 'subgraph sub1["branch 1 of Parallel \'Bulk\'"]' in drawn
    assert "class n0 error" in drawn and '-->|"rule 1"|' in drawn
    assert draw("mermaid", "valid/order-processing.asl.json").count("-.->|\"Catch:") >= 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
@pytest.mark.parametrize("example", EXAMPLES)
def test_dot_output_is_drawn_by_graphviz(example: str, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    done = subprocess.run(["dot", "-Tsvg"], input=draw("dot", example), capture_output=True, text=True)
    assert done.returncode == 0 and "<svg" in done.stdout, done.stderr


MERMAID = os.environ.get("ASL_LINT_MERMAID_MODULES", "")  # a node_modules with mermaid and jsdom


@pytest.mark.skipif(not (shutil.which("node") and (Path(MERMAID) / "mermaid").is_dir() and MERMAID),
                    reason="no mermaid parser: set ASL_LINT_MERMAID_MODULES to a node_modules holding the npm"
                           " packages mermaid and jsdom (npm install mermaid jsdom)")
@pytest.mark.parametrize("example", EXAMPLES)
def test_mermaid_output_parses_with_mermaid(example: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    source = tmp_path / "graph.mmd"
    source.write_text(draw("mermaid", example), encoding="utf-8")
    # The checker sits beside the modules (ES imports resolve from the script, not NODE_PATH).
    shutil.copy(ROOT / "tests" / "mermaid_check.mjs", Path(MERMAID).parent / "asl_lint_mermaid_check.mjs")
    done = subprocess.run(["node", str(Path(MERMAID).parent / "asl_lint_mermaid_check.mjs"), str(source)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "OK" in done.stdout, done.stderr


def test_github_format_writes_a_job_summary_with_the_broken_flow(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(main, ["--format", "github", "fixtures/examples/invalid/broken-transitions.asl.json",
                                       "fixtures/examples/valid/order-processing.asl.json"], catch_exceptions=False)
    assert result.exit_code == 1 and result.output.startswith("::")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## asl-lint")
    assert "| `fixtures/examples/invalid/broken-transitions.asl.json` | 5 | 1 | 0 |" in text
    assert text.count("```mermaid") == 1 and "class n4 error" in text  # only the machine with errors
    assert "order-processing" not in text.split("```mermaid")[1]
