"""The installed package carries its schema: build a real wheel, install it, run it elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    (built,) = out.glob("asl_lint-*.whl")
    return built


def test_wheel_contains_the_schemas(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "asl_lint/schemas/asl.schema.json" in names and "asl_lint/schemas/config.schema.json" in names


def test_installed_package_finds_its_schema_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    definition = tmp_path / "bad.asl.json"
    definition.write_text('{"StartAt": "A", "States": {"A": {"Type": "Task", "End": true}}}', encoding="utf-8")
    (tmp_path / ".asl-lint.yaml").write_text("ignore: [ASL406]\n", encoding="utf-8")  # read with the shipped schema
    script = (
        "import asl_lint, asl_lint.schemas as s, sys\n"
        "print(asl_lint.__file__); print(s.schema_path('config.schema.json'))\n"
        "from asl_lint.cli import main\n"
        "main(['--format', 'json', sys.argv[1]])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-c", script, str(definition)], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    module_file, schema_file, *report = done.stdout.splitlines()
    assert module_file.startswith(str(target)) and schema_file.startswith(str(target))
    assert done.returncode == 1, done.stderr
    assert [d["rule"] for d in json.loads("\n".join(report))["diagnostics"]] == ["ASL101"]
