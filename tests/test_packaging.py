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


# ---- a release people can trust


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> tuple[Path, Path]:
    """The sdist and the wheel, built by the project's build backend, as a release is."""
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-t", "wheel", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    (sdist,) = out.glob("asl_lint-*.tar.gz")
    (built,) = out.glob("asl_lint-*.whl")
    return sdist, built


def test_the_release_carries_its_license_changelog_and_metadata(release) -> None:
    import tarfile

    import asl_lint
    from asl_lint.docs import HOMEPAGE

    sdist, built = release
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "schemas/asl.schema.json", "action.yml"} <= names
    with zipfile.ZipFile(built) as archive:
        metadata = next(archive.read(name).decode() for name in archive.namelist() if name.endswith("METADATA"))
        licenses = [name for name in archive.namelist() if name.endswith("licenses/LICENSE")]
    assert f"Version: {asl_lint.__version__}" in metadata and licenses
    assert "License-Expression: Apache-2.0" in metadata
    # No address nothing serves: Project-URLs only once the project has a home.
    assert ("Project-URL:" in metadata) == (HOMEPAGE is not None)
    assert "Classifier: Topic :: Software Development :: Quality Assurance" in metadata
    assert "Keywords:" in metadata and "Provides-Extra: aws" in metadata


def test_the_wheel_installs_in_a_fresh_environment_outside_the_repository(release, tmp_path: Path) -> None:
    _, built = release
    environment = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(environment)], check=True, capture_output=True)
    python = environment / ("Scripts" if os.name == "nt" else "bin") / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", str(built)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "flow.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}')
    script = environment / ("Scripts" if os.name == "nt" else "bin") / "asl-lint"
    report = subprocess.run([str(script), "--format", "sarif", "flow.asl.json"], cwd=work, capture_output=True,
                            text=True)
    import asl_lint

    document = json.loads(report.stdout)
    assert report.returncode == 1 and document["runs"][0]["tool"]["driver"]["version"] == asl_lint.__version__
    assert sorted(r["ruleId"] for r in document["runs"][0]["results"]) == ["ASL202", "ASL206"]
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True).stdout
    assert version.strip().endswith(asl_lint.__version__)


def test_the_home_page_is_declared_once() -> None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from asl_lint.docs import HOMEPAGE, help_uri
    from asl_lint.rules import load_rules

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get("urls", {})
    if HOMEPAGE is None:  # no public home yet: no link anywhere points at one
        assert urls == {} and help_uri(load_rules().get("ASL203")) is None
        assert "github.com/asl-lint" not in (ROOT / "README.md").read_text()
        return
    assert urls["Homepage"] == HOMEPAGE and all(url.startswith(HOMEPAGE) for url in urls.values())
    assert help_uri(load_rules().get("ASL203")).startswith(HOMEPAGE)
