"""The VS Code extension's own tests (editors/vscode): its decisions, and asl-lint-lsp driven
with vscode-jsonrpc as VS Code's client drives it. Run when node and the extension's packages
are installed (`npm ci` in editors/vscode); skipped, saying so, otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[1] / "editors" / "vscode"

pytest.importorskip("pygls")


@pytest.mark.skipif(shutil.which("npm") is None or not (EXTENSION / "node_modules").is_dir(),
                    reason="the VS Code extension's packages are not installed (npm ci in editors/vscode)")
def test_the_extension_s_tests_pass() -> None:
    done = subprocess.run(["npm", "test"], cwd=EXTENSION, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "ASL_LINT_PYTHON": sys.executable})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout


def test_the_extension_reads_what_the_server_reads() -> None:
    """The extension's languages and the server's trigger characters and commands agree."""
    import json

    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    languages = {event.split(":", 1)[1] for event in manifest["activationEvents"] if event.startswith("onLanguage:")}
    assert {"json", "yaml", "asl", "asl-yaml", "terraform"} <= languages
    source = (EXTENSION / "src" / "server.ts").read_text(encoding="utf-8")
    from asl_lint.lsp.server import GRAPH_COMMAND

    assert f'GRAPH_COMMAND = "{GRAPH_COMMAND}"' in source
