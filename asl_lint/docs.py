"""Each rule's documentation page, written from its docstring: docs/rules/ASLnnn.md in the
repository (what SARIF's helpUri links to) and what --explain prints.

    python -m asl_lint.docs      # writes docs/rules/ from the rule docstrings
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HOMEPAGE = "https://github.com/asl-lint/asl-lint"
PAGES = "docs/rules"


def help_uri(rule) -> str:
    """The stable address of a rule's page in the repository (a rule, or its id)."""
    return f"{HOMEPAGE}/blob/main/{PAGES}/{rule if isinstance(rule, str) else rule.id}.md"


def rule_page(rule) -> str:
    """The Markdown page of one rule: summary, why, a bad and a good example, its default
    severity and how to select, reconfigure or suppress it."""
    documentation = rule.documentation()
    summary, _, body = documentation.partition("\n")
    default = "on" if rule.enabled_by_default else "off unless selected (`--extend-select " + rule.id + "`)"
    lines = [
        f"# {rule.id} {rule.name}",
        "",
        f"**{summary.strip()}**",
        "",
        f"- Default severity: {rule.severity.label}",
        f"- Enabled by default: {default}",
        f"- AWS: {aws_verdict(rule)}",
        f"- Tags: {', '.join(f'`{tag}`' for tag in rule.tags) or 'none'}",
        "",
        body.strip(),
        "",
        "## Configure or suppress",
        "",
        f"- Turn it off: `asl-lint --ignore {rule.id}`, or `ignore: [{rule.id}]` in `.asl-lint.yaml`.",
        f"- Change its severity: `--severity {rule.id}=warning`, or `severity: {{{rule.id}: warning}}`.",
        f"- One place in YAML: `# asl-lint: disable={rule.id}` on the line, or `disable-next-line={rule.id}` above it.",
        f"- One state in JSON: `\"Comment\": \"asl-lint: disable={rule.id}\"` in the state.",
        f"- One template resource: `Metadata: {{asl-lint: {{ignore: [{rule.id}]}}}}`.",
        "",
    ]
    return "\n".join(lines)


def aws_verdict(rule) -> str:
    """What AWS says of a definition with this problem, with its diagnostic code."""
    from .rules.base import AWS_WARNING_CODES

    code = rule.aws_code
    if code in AWS_WARNING_CODES:
        return f"`{code}`, a warning: AWS accepts the definition and warns (ValidateStateMachineDefinition)"
    if code is not None:
        return f"`{code}`, an error: AWS rejects the definition (ValidateStateMachineDefinition, CreateStateMachine)"
    if rule.rejected_by_aws():
        return "no diagnostic code: the API refuses such a definition before validating it"
    if "load" in rule.tags:
        return "none: this is about the file or template, not the definition AWS receives"
    return "none: AWS accepts the definition; asl-lint advises against it"


def plain_text(markdown: str) -> str:
    """The page without Markdown's code fences and emphasis, for SARIF's text forms."""
    text = re.sub(r"^```\w*$\n?", "", markdown, flags=re.M)
    text = text.replace("**", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def write_pages(directory: Path) -> list[Path]:
    from .rules import load_rules

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in load_rules():
        path = directory / f"{rule.id}.md"
        path.write_text(rule_page(rule), encoding="utf-8")
        written.append(path)
    index = ["# Rules", "", "| id | name | default | what it finds |", "|---|---|---|---|"]
    index += [f"| [{rule.id}]({rule.id}.md) | {rule.name} | {rule.severity.label} | {rule.summary()} |"
              for rule in load_rules()]
    (directory / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    pages = write_pages(root / PAGES)
    print(f"wrote {len(pages)} rule pages to {root / PAGES}", file=sys.stderr)
