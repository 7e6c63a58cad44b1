"""One editor session against asl-lint-lsp, for the worst-case table: open a file, wait for
its diagnostics, optionally ask for the code actions of the first one, shut down.

    python benchmarks/lsp_once.py FILE [--actions]

Exits 0 when every answer came, 1 otherwise (the table's exit column)."""

from __future__ import annotations

import sys
from pathlib import Path

from asl_lint.lsp.client import Client


def main() -> int:
    path = Path(sys.argv[1]).resolve()
    client = Client(path.parent)
    try:
        text = path.read_text(encoding="utf-8")
        uri = client.open(path.name, text, language="yaml" if path.suffix in (".yaml", ".yml") else "json")
        found = client.diagnostics(uri, 1, timeout=120)
        if "--actions" in sys.argv and found:
            answer = client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": found[0]["range"], "context": {"diagnostics": found[:1]}},
                timeout=120)
            if not answer.get("result"):
                return 1
        return 0 if found else 1
    finally:
        client.close()


if __name__ == "__main__":
    sys.exit(main())
