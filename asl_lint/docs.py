"""Each rule's documentation page, written from its docstring: docs/rules/ASLnnn.md in the
repository, the documentation site's rule pages, what SARIF's `help` carries and what
--explain prints.

    python -m asl_lint.docs      # writes docs/rules/ from the rule docstrings
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# The project's public home, once it has one: SARIF's informationUri and helpUri, the
# editor's rule links and the package's Project-URLs derive from it. Until then every
# link is left out (a link that nothing serves is worse than none): SARIF carries each
# rule's whole page in `help`, and the editor's hover shows it.
HOMEPAGE: str | None = None
PAGES = "docs/rules"


def help_uri(rule) -> str | None:
    """The stable address of a rule's page (a rule, or its id), or None without a home."""
    if HOMEPAGE is None:
        return None
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


INDEX_INTRO = """\
Each rule has a page here, written from its docstring (`python -m asl_lint.docs`; a test
fails when one is stale): why it matters, a bad and a good example, its default severity,
the AWS diagnostic code it corresponds to (or none), and how to configure or suppress it.
`asl-lint --explain RULE` prints the same page, and SARIF reports carry it in each rule's
`help`. Severities are defaults: errors for what AWS rejects or the language requires,
warnings for what AWS accepts but predictably fails at run time, what AWS itself warns
about, and likely bugs. A few noisy pieces of advice (ASL510-ASL513) are off unless
selected, e.g. `--select ALL,ASL510`.

| range | family |
|---|---|
| ASL0xx | reading files and finding state machines in templates |
| ASL1xx | structure: the JSON Schema of the language |
| ASL2xx | transitions and the state graph |
| ASL3xx | data: query languages, JSONPath paths, payload templates, intrinsic functions, JSONata, variables |
| ASL4xx | Task resources, integration patterns, Express workflows |
| ASL5xx | AWS's own warnings, limits and best practices |
| ASL6xx | Retry and Catch, Choice, Wait and Map |
"""


def rules_index() -> str:
    """docs/rules/index.md: what the pages are, the families, and every rule linked."""
    from .rules import load_rules

    index = ["# Rules", "", INDEX_INTRO, "| id | name | default | what it finds |", "|---|---|---|---|"]
    index += [f"| [{rule.id}]({rule.id}.md) | {rule.name} | {rule.severity.label} | {rule.summary()} |"
              for rule in load_rules()]
    return "\n".join(index) + "\n"


NAV_START, NAV_END = "      # rules:start (python -m asl_lint.docs)\n", "      # rules:end\n"


def site_navigation(mkdocs_yml: str) -> str:
    """mkdocs.yml with its Rules section listing every rule page (no page is an orphan)."""
    from .rules import load_rules

    entries = "".join(f"      - {rule.id} {rule.name}: rules/{rule.id}.md\n" for rule in load_rules())
    before, _, rest = mkdocs_yml.partition(NAV_START)
    _, _, after = rest.partition(NAV_END)
    return before + NAV_START + entries + NAV_END + after


def write_pages(directory: Path) -> list[Path]:
    from .rules import load_rules

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in load_rules():
        path = directory / f"{rule.id}.md"
        path.write_text(rule_page(rule), encoding="utf-8")
        written.append(path)
    (directory / "index.md").write_text(rules_index(), encoding="utf-8")
    return written


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    pages = write_pages(root / PAGES)
    site = root / "mkdocs.yml"
    if site.is_file():
        site.write_text(site_navigation(site.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {len(pages)} rule pages to {root / PAGES}", file=sys.stderr)
