"""What each rule costs: CPU time of every rule over many definitions, in one process.

    python benchmarks/rule_costs.py [FILE ...] [--repeat 3] [--top 20] [--write]

Without files: every plain-ASL JSON file of ../shared/corpus (distinct contents) and the
200 generated 50-state definitions with findings of compare.py. Each definition is checked
as the engine checks it (one context, every enabled rule in order, views built by the first
rule that asks for them, which is counted to that rule), `--repeat` times; a rule's figure
is the smallest of the repeats. The walk of the scopes, the definition's index (index.py),
the schema pass and the positions and messages of the findings are rows of their own. --write puts the table in benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def definitions(files: list[str]) -> list:
    from asl_lint.config import Config
    from asl_lint.engine import references_for
    from asl_lint.extract import extract_definitions
    from asl_lint.source import load_documents

    config = Config()
    found = []
    for path in files:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        try:
            documents = load_documents(text, path, None)
        except Exception:  # noqa: BLE001 - a file that does not load has no rule costs
            continue
        references = references_for(config)
        for document in documents:
            found.extend(extract_definitions(document, path, None, references).definitions)
    return found


def costs(found: list, repeat: int) -> dict[str, float]:
    from asl_lint.config import Config
    from asl_lint.context import RuleContext
    from asl_lint.engine import _checking_rules, _findings_to_diagnostics  # noqa: PLC2701 - a benchmark looks inside
    from asl_lint.rules.schema.validate import schema_findings

    config = Config()
    rules = _checking_rules(config)
    best: dict[str, float] = {}
    for _ in range(repeat):
        spent: dict[str, float] = {}
        clock = time.process_time
        for definition in found:
            gc.disable()  # as the engine checks a file: the collector runs between files
            ctx = RuleContext(definition)
            start = clock()
            ctx.scopes  # noqa: B018 - the walk every check starts with
            spent["(walking the scopes)"] = spent.get("(walking the scopes)", 0) + clock() - start
            start = clock()
            ctx.index  # noqa: B018 - the facts rules read, in one walk
            spent["(the definition's index)"] = spent.get("(the definition's index)", 0) + clock() - start
            start = clock()
            findings = list(schema_findings(definition.data, definition.placeholders, ctx.scopes))
            spent["(schema pass)"] = spent.get("(schema pass)", 0) + clock() - start
            for rule_id, rule in rules:
                start = clock()
                findings += [(rule_id, finding) for finding in rule.check(ctx)]
                spent[rule_id] = spent.get(rule_id, 0) + clock() - start
            start = clock()
            _findings_to_diagnostics(definition, config, findings)
            spent["(positions and messages)"] = spent.get("(positions and messages)", 0) + clock() - start
            ctx.release()
            gc.enable()
        for key, value in spent.items():
            best[key] = min(best.get(key, value), value)
    return best


def default_files(scratch: Path) -> list[str]:
    from compare import corpus_files, distinct_definitions

    corpus = list({Path(path).read_bytes(): path for path in corpus_files()}.values())
    return corpus + distinct_definitions(scratch, 200, 50, findings=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        files = args.files or default_files(Path(scratch))
        found = definitions(files)
        best = costs(found, args.repeat)
    from asl_lint.rules import load_rules

    registry = load_rules()
    total = sum(best.values())
    rows = sorted(best.items(), key=lambda item: -item[1])
    lines = ["`python benchmarks/rule_costs.py`: every plain-ASL JSON file of the corpus (distinct contents) and",
             "200 generated 50-state definitions with findings, checked in one process as the engine checks them. A",
             "view several rules share is counted to the first that builds it; the index, the walk of the scopes,",
             "the schema pass and the positions and messages of the findings are rows of their own.", "",
             f"{len(found)} definitions from {len(files)} files; CPU ms over all of them (best of {args.repeat});"
             f" total {total * 1000:.0f} ms.", "", "| rule | name | ms | share |", "|---|---|---|---|"]
    for key, value in rows[:args.top]:
        rule = registry.get(key)
        lines.append(f"| {key} | {rule.name if rule else ''} | {value * 1000:.1f} | {value / total:.1%} |")
    rest = sum(value for _, value in rows[args.top:])
    lines.append(f"| the other {max(0, len(rows) - args.top)} | | {rest * 1000:.1f} | {rest / total:.1%} |")
    print("\n".join(lines))
    if args.write:
        from measure import write_section

        write_section("## What each rule costs", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
