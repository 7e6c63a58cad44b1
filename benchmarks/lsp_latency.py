"""Edit-to-diagnostics latency of asl-lint-lsp, as an editor sees it.

    python benchmarks/lsp_latency.py [--edits 30] [--write]

Starts the language server, opens a generated definition of 1,000 states and a
CloudFormation template with one 50-state machine, and makes one-character edits (a
state name's letter changed back and forth, so each edit changes what is reported): the
time from sending didChange to receiving that version's publishDiagnostics; then go to
definition, find references, rename and completion at a state name of the 1,000 states.
Prints the median and the slowest; targets: under 300 ms for an edit of 1,000 states,
50 ms for the template, 100 ms for each request.
Needs the extra `asl-lint[lsp]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import definition, template  # noqa: E402
from measure import write_section  # noqa: E402

from asl_lint.lsp.client import Client  # noqa: E402

SECTION = "## Editor latency (asl-lint-lsp)"


def _latencies(client: Client, name: str, text: str, edits: int) -> list[float]:
    uri = client.open(name, text)
    client.diagnostics(uri, 1, timeout=120)
    at = text.index('"Done"') + 2  # a letter of a state name that a transition names
    lines = text[:at].split("\n")
    position = {"line": len(lines) - 1, "character": len(lines[-1])}
    taken = []
    for version in range(2, edits + 2):
        letter = "X" if version % 2 == 0 else "o"
        start = time.perf_counter()
        client.change(uri, version, range_={"start": position, "end": {**position, "character": position["character"] + 1}},
                      new_text=letter)
        client.diagnostics(uri, version, timeout=120)
        taken.append((time.perf_counter() - start) * 1000)
    return taken


def _request_latencies(client: Client, name: str, text: str, times: int) -> dict[str, list[float]]:
    """Go to definition, find references, rename and completion on a state name of the open
    document (a `Next` value: completion offers the states of its scope)."""
    uri = client.uri(name)
    at = text.index('"Next": "') + len('"Next": "') + 1  # inside the first transition's target
    lines = text[:at].split("\n")
    position = {"line": len(lines) - 1, "character": len(lines[-1])}
    where = {"textDocument": {"uri": uri}, "position": position}
    asked = {"definition": ("textDocument/definition", where),
             "references": ("textDocument/references", {**where, "context": {"includeDeclaration": True}}),
             "rename": ("textDocument/rename", {**where, "newName": "Renamed"}),
             "completion": ("textDocument/completion", where)}
    taken: dict[str, list[float]] = {}
    for title, (method, params) in asked.items():
        for _ in range(times):
            start = time.perf_counter()
            answer = client.request(method, params, timeout=120)
            taken.setdefault(title, []).append((time.perf_counter() - start) * 1000)
            assert answer.get("result"), answer
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="add the table to benchmarks/results.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / ".git").mkdir()
        client = Client(scratch)
        try:
            cases = [("a definition of 1,000 states", "big.asl.json", json.dumps(definition(1000), indent=2), 300),
                     ("a template with a 50-state machine", "stack.template.json",
                      json.dumps(template(1, 50), indent=2), 50)]
            for title, name, text, target in cases:
                taken = _latencies(client, name, text, args.edits)
                rows.append((title, statistics.median(taken), max(taken), target))
                if name == "big.asl.json":
                    for request, times in _request_latencies(client, name, text, 10).items():
                        rows.append((f"{request} on {title}", statistics.median(times), max(times), 100))
        finally:
            client.close()
    lines = [f"Measured on {os.cpu_count()} cores with `python benchmarks/lsp_latency.py`: {args.edits} one-character"
             " edits each, from didChange to that version's diagnostics; then 10 of each request on a state name.",
             "", "| document | median ms | slowest ms | target ms |", "|---|---|---|---|"]
    lines += [f"| {title} | {median:.0f} | {slowest:.0f} | {target} |" for title, median, slowest, target in rows]
    print("\n".join(lines))
    if args.write:
        write_section(SECTION, lines)
    return 0 if all(median <= target for _, median, _, target in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
