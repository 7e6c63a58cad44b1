"""The GitHub Action run as GitHub runs it: its steps in order, each `run:` script in bash
with its `env:` rendered from the inputs, `runner.temp` and the action's path, step
outputs through $GITHUB_OUTPUT, and the `uses:` steps it relies on played by stand-ins
(setup-python names an interpreter; actions/cache restores the installation saved under
the same key at the end of an earlier job)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EXAMPLES = ROOT / "fixtures" / "examples"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def fake_python(directory: Path, version: str, log: Path) -> Path:
    """An interpreter as setup-python would give: it reports `version`, makes virtual
    environments whose python records what pip installs and leaves an asl-lint that runs
    this checkout's, and whose `import asl_lint` works while this interpreter exists."""
    directory.mkdir(parents=True, exist_ok=True)
    shim = directory / "asl-lint-shim"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m asl_lint "$@"\n')
    shim.chmod(0o755)
    python = directory / "python"
    venv_python = directory / "venv-python"
    venv_python.write_text(f"""#!/bin/sh
[ -x "{python}" ] || exit 127
if [ "$1" = "-c" ]; then exit 0; fi
echo "$@" >> {log}
cp {shim} "$(dirname "$0")/asl-lint"
""")
    venv_python.chmod(0o755)
    python.write_text(f"""#!/bin/sh
if [ "$1" = "-c" ]; then
  case "$2" in
    *platform*) echo "CPython{version}-x86_64"; exit 0;;
  esac
fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && cp {venv_python} "$3/bin/python"
  exit 0
fi
exec {sys.executable} "$@"
""")
    python.chmod(0o755)
    return python


class Runner:
    """One runner machine: its temp directory, the cache service, a workspace."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.cache: dict[str, Path] = {}
        self.workspace = tmp_path / "workspace"
        shutil.copytree(EXAMPLES / "invalid", self.workspace / "flows")
        self.log = tmp_path / "pip.log"

    def job(self, inputs: dict, python: Path, action_path: Path = ROOT, cwd: Path | None = None) -> dict:
        """Run the action's steps once, as a new job on this runner (a fresh runner.temp)."""
        temp = self.tmp / f"runner-temp-{len(list(self.tmp.glob('runner-temp-*')))}"
        temp.mkdir()
        given = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
        given.update(inputs)
        outputs: dict[str, dict] = {}
        saved: tuple[str, Path] | None = None
        result = {"outputs": outputs, "stdout": "", "status": 0, "summary": temp / "summary.md"}

        def render(text: str) -> str:
            def value(match: re.Match) -> str:
                expression = match.group(1).strip()
                if expression.startswith("inputs."):
                    return str(given[expression[7:]])
                if expression == "runner.temp":
                    return str(temp)
                if expression == "runner.os":
                    return "Linux"
                if expression == "github.action_path":
                    return str(action_path)
                step, _, name = expression.removeprefix("steps.").partition(".outputs.")
                return outputs.get(step, {}).get(name, "")
            return re.sub(r"\$\{\{(.*?)\}\}", value, str(text))

        for step in ACTION["runs"]["steps"]:
            uses = step.get("uses", "")
            if uses.startswith("actions/setup-python"):
                assert step["with"]["update-environment"] is False  # the caller's Python stays theirs
                outputs[step["id"]] = {"python-path": str(python)}
            elif uses.startswith("actions/cache"):
                key, path = render(step["with"]["key"]), Path(render(step["with"]["path"]))
                if key in self.cache:
                    shutil.copytree(self.cache[key], path, symlinks=True)
                else:
                    saved = (key, path)  # saved at the end of the job, as the post step does
                result["key"] = key
            elif uses:
                continue  # upload-sarif: GitHub's own
            else:
                output_file = temp / f"output-{step.get('id', 'x')}"
                output_file.touch()
                env = {name: render(value) for name, value in step.get("env", {}).items()}
                env.update({"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(output_file),
                            "GITHUB_STEP_SUMMARY": str(result["summary"]), "PYTHONPATH": str(ROOT),
                            "HOME": str(self.tmp / "home")})
                done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd or self.workspace, env=env,
                                      capture_output=True, text=True)
                result["stdout"] += done.stdout
                if step.get("id"):
                    outputs[step["id"]] = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
                if done.returncode != 0:
                    result["status"] = done.returncode
                    result["stderr"] = done.stderr
                    break
        if saved is not None and saved[1].exists():
            self.cache[saved[0]] = self.tmp / f"cache-{len(self.cache)}"
            shutil.copytree(saved[1], self.cache[saved[0]], symlinks=True)
        return result


def installs(runner: Runner) -> int:
    return len(runner.log.read_text().splitlines()) if runner.log.exists() else 0


def test_a_job_installs_lints_annotates_and_writes_sarif(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    python = fake_python(tmp_path / "py", "3.12.7", runner.log)
    job = runner.job({"paths": "flows", "sarif": "true"}, python)
    assert job["status"] == 1  # the examples are broken on purpose
    assert "::error file=flows/" in job["stdout"]
    assert json.loads((runner.workspace / "asl-lint.sarif").read_text())["runs"][0]["results"]
    assert job["outputs"]["lint"]["sarif-file"] == "asl-lint.sarif"
    assert job["summary"].read_text().startswith("## asl-lint")
    assert installs(runner) == 1


def test_the_cache_key_follows_the_action_and_the_full_interpreter_version(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    python = fake_python(tmp_path / "py", "3.12.7", runner.log)
    first = runner.job({"paths": "flows"}, python)
    second = runner.job({"paths": "flows"}, python)
    assert first["key"] == second["key"] and installs(runner) == 1  # restored, not installed again
    newer_python = fake_python(tmp_path / "py-new", "3.12.8", runner.log)
    third = runner.job({"paths": "flows"}, newer_python)
    assert third["key"] != first["key"] and installs(runner) == 2
    upgraded = tmp_path / "action-upgraded"  # a new release of the action: its own files changed
    shutil.copytree(ROOT, upgraded, ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", "site"))
    (upgraded / "asl_lint" / "rules" / "__init__.py").write_text(
        (upgraded / "asl_lint" / "rules" / "__init__.py").read_text() + "\n# changed\n")
    fourth = runner.job({"paths": "flows"}, python, action_path=upgraded)
    assert fourth["key"] != first["key"] and installs(runner) == 3


def test_a_cached_installation_that_cannot_run_is_built_again(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    python = fake_python(tmp_path / "py", "3.12.7", runner.log)
    runner.job({"paths": "flows"}, python)
    key = next(iter(runner.cache))
    # The runner's interpreter was replaced under the same name: the cached venv's python is dead.
    shutil.rmtree(tmp_path / "py")
    python = fake_python(tmp_path / "py-replaced", "3.12.7", runner.log)
    (runner.cache[key] / "bin" / "python").write_text("#!/bin/sh\nexit 127\n")
    job = runner.job({"paths": "flows"}, python)
    assert job["status"] == 1 and "::error" in job["stdout"]  # linted, not exit 127
    assert installs(runner) == 2


def test_args_hold_values_with_spaces_one_per_line(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    (runner.workspace / "flows with space").mkdir()
    shutil.copy(EXAMPLES / "invalid" / "broken-transitions.asl.json", runner.workspace / "flows with space")
    python = fake_python(tmp_path / "py", "3.12.7", runner.log)
    job = runner.job({"paths": "flows with space\n", "args": "--fail-on\nnever\n--stdin-filename\nmy flow.json\n"},
                     python)
    assert job["status"] == 0, job.get("stderr")  # --fail-on never, and the path with a space was found
    assert "flows with space/broken-transitions.asl.json" in job["stdout"]
    old_style = runner.job({"paths": "flows", "args": "--fail-on never"}, python)
    assert old_style["status"] == 0  # a single line is split at spaces, as before


def test_the_result_cache_is_off_unless_asked(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    python = fake_python(tmp_path / "py", "3.12.7", runner.log)
    runner.job({"paths": "flows"}, python)
    assert not (runner.workspace / ".asl_lint_cache").exists()
    runner.job({"paths": "flows", "cache": "true"}, python)
    assert (runner.workspace / ".asl_lint_cache").is_dir()


def test_paths_are_relative_to_the_repository_from_a_subdirectory(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    subprocess.run(["git", "init", "-q", str(runner.workspace)], check=True)
    python = fake_python(tmp_path / "py", "3.12.7", runner.log)
    job = runner.job({"paths": "."}, python, cwd=runner.workspace / "flows")  # working-directory: flows
    assert "::error file=flows/" in job["stdout"]
