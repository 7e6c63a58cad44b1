"""The README is the front door: the two set-up commands CI runs, the three ways to run
asl-lint, and a way into the documentation, in about 200 lines; nothing of the manual it
once was is lost (each of its sections has a page in docs/)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"

# The sections of the README before the documentation moved to docs/, and where each lives.
FORMER_SECTIONS = {
    "Use": "usage.md", "Where definitions live": "usage.md", "Options": "usage.md", "Exit status": "usage.md",
    "Output formats": "usage.md", "Fixes": "fixes.md", "In the editor": "editor.md", "Ask AWS itself": "aws.md",
    "A picture of the state machine": "graph.md", "Python API": "api.md", "Configuration": "configuration.md",
    "Result cache": "cache.md", "Suppressions": "configuration.md", "Baseline": "configuration.md",
    "Walking a repository": "configuration.md", "Pre-commit": "pre-commit.md", "CI": "ci.md",
    "Rules": "rules/index.md", "Limits and safety": "safety.md", "How it reads files": "safety.md",
    "Design": "design.md", "Dependencies": "design.md", "Tests": "development.md", "Benchmarks": "development.md",
}


def test_two_setup_commands_are_marked_for_ci() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count("<!-- ci:install -->") == 1 and text.count("<!-- ci:test -->") == 1


def test_the_readme_is_short_and_says_how_to_run_it_three_ways() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 220
    headings = re.findall(r"^#{2,3} (.+)$", text, re.M)
    assert {"Set up", "Install", "On the command line", "As a pre-commit hook", "In CI", "Design", "Dependencies",
            "Documentation"} <= set(headings)


def test_every_former_section_has_a_home_in_the_docs() -> None:
    for heading, page in FORMER_SECTIONS.items():
        text = (DOCS / page).read_text(encoding="utf-8")
        assert re.search(rf"^#{{1,3}} {re.escape(heading)}$", text, re.M) or heading == "Rules", (heading, page)


def test_the_readmes_links_lead_somewhere() -> None:
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), target
