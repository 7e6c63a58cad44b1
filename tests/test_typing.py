"""The Python API's documented forms type-check under mypy --strict in a user's code
(asl-lint ships py.typed): a selector string, a level by name, a Path, summary()."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def test_the_documented_api_type_checks_strictly() -> None:
    pytest.importorskip("mypy")
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental",
                           str(HERE / "typing" / "documented_api.py")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
