"""Each rule's page in docs/rules/ is its docstring, and --explain prints the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint.cli import main
from asl_lint.docs import rule_page
from asl_lint.rules import load_rules

PAGES = Path(__file__).resolve().parents[1] / "docs" / "rules"


@pytest.mark.parametrize("rule", list(load_rules()), ids=lambda rule: rule.id)
def test_rule_page_is_up_to_date(rule) -> None:
    page = PAGES / f"{rule.id}.md"
    assert page.is_file() and page.read_text(encoding="utf-8") == rule_page(rule), \
        "regenerate the rule pages: python -m asl_lint.docs"


def test_no_page_without_a_rule() -> None:
    ids = {rule.id for rule in load_rules()}
    assert {page.stem for page in PAGES.glob("ASL*.md")} == ids


@pytest.mark.parametrize("rule_id", ["ASL100", "ASL203", "ASL016"])
def test_explain_prints_the_page_with_a_bad_and_a_good_example(rule_id: str) -> None:
    output = CliRunner().invoke(main, ["--explain", rule_id], catch_exceptions=False).output
    assert output == (PAGES / f"{rule_id}.md").read_text(encoding="utf-8")
    assert "Bad" in output and "Good" in output and "```" in output


def test_the_rules_index_and_the_site_navigation_are_up_to_date() -> None:
    from asl_lint.docs import rules_index, site_navigation

    assert (PAGES / "index.md").read_text(encoding="utf-8") == rules_index(), \
        "regenerate the rule pages: python -m asl_lint.docs"
    site = PAGES.parents[1] / "mkdocs.yml"
    assert site.read_text(encoding="utf-8") == site_navigation(site.read_text(encoding="utf-8")), \
        "regenerate the site navigation: python -m asl_lint.docs"


def test_every_page_of_the_docs_is_in_the_site_navigation() -> None:
    import yaml

    site = yaml.safe_load((PAGES.parents[1] / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(entries) -> set[str]:
        found = set()
        for entry in entries:
            value = next(iter(entry.values())) if isinstance(entry, dict) else entry
            found |= pages(value) if isinstance(value, list) else {value}
        return found

    listed = pages(site["nav"])
    on_disk = {path.relative_to(PAGES.parent).as_posix() for path in PAGES.parent.rglob("*.md")}
    assert on_disk == listed  # no orphan page, no entry without a page
