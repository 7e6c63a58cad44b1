"""The result cache: the same report as without it, byte for byte, and a miss whenever
anything a report depends on changed; never an error, never trusted blindly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint import cache as result_cache
from asl_lint.api import lint_paths
from asl_lint.run import batch
from asl_lint.cli import main
from asl_lint.config import Config

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DEFINITION = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "%s"}, "B": {"Type": "Succeed"}}}\n'
TEMPLATE = """Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: %s
"""


pytestmark = pytest.mark.usefixtures("private_user_cache")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    return tmp_path


def report(*args: str) -> str:
    result = CliRunner().invoke(main, ["--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def cached(paths, config: Config | None = None):
    return lint_paths(paths, config or Config(cache=True), jobs=1)


def test_a_warm_run_reports_byte_for_byte_what_a_cold_one_does(project: Path) -> None:
    shutil.copytree(ROOT / "fixtures" / "examples", project / "examples")
    cold = report("--no-cache", "examples")
    first = report("examples")
    warm = report("examples")
    assert cold == first == warm
    assert (project / ".asl_lint_cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    api = cached(["examples"])
    assert api.cached == 0  # the API's settings are not the command line's: a bucket of their own
    again = cached(["examples"])
    assert again.cached >= again.files > 20 and again.diagnostics == api.diagnostics


@pytest.mark.skipif(not (CORPUS / "MANIFEST.tsv").exists(), reason="the shared corpus is not here")
def test_the_corpus_warm_is_the_corpus_cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    cache_dir = str(tmp_path / "cache")
    cold = report("--no-cache", "--format", "json", ".")
    report("--cache-dir", cache_dir, ".")
    warm = report("--cache-dir", cache_dir, ".")
    assert json.loads(cold) == json.loads(warm) and cold == warm


def test_a_changed_file_is_checked_again(project: Path) -> None:
    (project / "flow.asl.json").write_text(DEFINITION % "Gone", encoding="utf-8")
    assert [d.rule for d in cached(["flow.asl.json"]).diagnostics] == ["ASL202", "ASL203"]
    (project / "flow.asl.json").write_text(DEFINITION % "B", encoding="utf-8")
    again = cached(["flow.asl.json"])
    assert again.cached == 0 and again.diagnostics == []
    assert cached(["flow.asl.json"]).cached == 1


def _aged(path: Path, seconds: float = 60) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    original = batch.read_file
    monkeypatch.setattr(batch, "read_file", lambda path, *args, **kwargs: reads.append(path) or original(path, *args, **kwargs))
    return reads


@pytest.mark.parametrize("named", ["flow.asl.json", "."])
def test_a_warm_run_takes_an_unchanged_file_by_its_stamp_without_reading_it(
        project: Path, monkeypatch: pytest.MonkeyPatch, named: str) -> None:
    flow = project / "flow.asl.json"
    flow.write_text(DEFINITION % "Gone", encoding="utf-8")
    _aged(flow)
    cold = cached([named])
    reads = _counting_reads(monkeypatch)
    warm = cached([named])
    assert warm.cached == 1 and reads == [] and warm.diagnostics == cold.diagnostics
    flow.write_text(DEFINITION % "Nope", encoding="utf-8")  # as long as before: only the time tells
    _aged(flow, 30)
    changed = cached([named])
    assert changed.cached == 0 and len(reads) == 1
    assert "'Nope'" in changed.diagnostics[0].message


def test_a_file_changed_just_now_keeps_no_stamp_and_is_read_next_time(project: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "flow.asl.json").write_text(DEFINITION % "Gone", encoding="utf-8")  # within RACY_SECONDS
    cached(["flow.asl.json"])
    entries = json.loads(_bucket(project).read_bytes().split(b"\n", 1)[1])["entries"]
    assert [entry["stamp"] for entry in entries.values()] == [None]
    reads = _counting_reads(monkeypatch)
    assert cached(["flow.asl.json"]).cached == 1 and len(reads) == 1  # read and hashed, then believed


def test_a_referenced_file_created_changed_or_deleted_is_a_miss(project: Path) -> None:
    (project / "template.yaml").write_text(TEMPLATE % "flow.asl.json", encoding="utf-8")
    assert [d.rule for d in cached(["template.yaml"]).diagnostics] == ["ASL007"]  # not there yet
    (project / "flow.asl.json").write_text(DEFINITION % "Gone", encoding="utf-8")
    created = cached(["template.yaml"])
    assert created.cached == 0 and "ASL202" in [d.rule for d in created.diagnostics]
    assert cached(["template.yaml"]).cached == 1
    (project / "flow.asl.json").write_text(DEFINITION % "B" + " ", encoding="utf-8")
    changed = cached(["template.yaml"])
    assert changed.cached == 0 and changed.diagnostics == []
    (project / "flow.asl.json").unlink()
    deleted = cached(["template.yaml"])
    assert deleted.cached == 0 and [d.rule for d in deleted.diagnostics] == ["ASL007"]


def test_other_settings_and_another_version_are_misses(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "flow.asl.json").write_text(DEFINITION % "Gone", encoding="utf-8")
    cached(["flow.asl.json"])
    assert cached(["flow.asl.json"], Config(cache=True, ignore=("ASL203",))).cached == 0
    assert [d.rule for d in cached(["flow.asl.json"], Config(cache=True, ignore=("ASL203",))).diagnostics] == [
        "ASL202"]
    monkeypatch.setattr(result_cache, "_version_digest", lambda: "another version")
    assert cached(["flow.asl.json"]).cached == 0


def _bucket(project: Path) -> Path:
    return next((project / ".asl_lint_cache").glob("*.json"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_corrupt_cache_is_a_miss_not_an_error(project: Path, damage: str) -> None:
    (project / "flow.asl.json").write_text(DEFINITION % "Gone", encoding="utf-8")
    cached(["flow.asl.json"])
    bucket = _bucket(project)
    data = bucket.read_bytes()
    bucket.write_bytes({"garbage": b"\x00\xff not json", "truncated": data[:len(data) // 2], "empty": b""}[damage])
    again = cached(["flow.asl.json"])
    assert again.cached == 0 and [d.rule for d in again.diagnostics] == ["ASL202", "ASL203"]
    assert cached(["flow.asl.json"]).cached == 1  # written anew


def test_a_cache_signed_with_another_secret_is_not_believed(project: Path, monkeypatch, tmp_path_factory) -> None:
    # A pull request that commits a cache saying its broken file is clean.
    (project / "flow.asl.json").write_text(DEFINITION % "Gone", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("attacker")))
    cached(["flow.asl.json"])
    bucket = _bucket(project)
    signature, body = bucket.read_bytes().split(b"\n", 1)
    forged = json.loads(body)
    for entry in forged["entries"].values():
        entry["report"]["diagnostics"] = []
    import hashlib
    import hmac

    secret = (Path(os.environ["XDG_CACHE_HOME"]) / "asl-lint" / "cache-secret").read_bytes()
    body = json.dumps(forged).encode()
    bucket.write_bytes(hmac.new(secret, body, hashlib.sha256).hexdigest().encode() + b"\n" + body)
    assert cached(["flow.asl.json"]).diagnostics == []  # the attacker's own machine believes it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("ci-runner")))
    checked = cached(["flow.asl.json"])
    assert checked.cached == 0 and [d.rule for d in checked.diagnostics] == ["ASL202", "ASL203"]


def test_concurrent_runs_leave_a_cache_that_reads(project: Path) -> None:
    for index in range(40):
        (project / f"flow{index}.asl.json").write_text(DEFINITION % ("B" if index % 2 else f"Gone{index}"),
                                                       encoding="utf-8")
    command = [sys.executable, "-m", "asl_lint", "--format", "json", "-j", "1", "."]
    runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}) for _ in range(4)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 1 for run in runs), [error for _, error in outputs]
    assert len({output for output, _ in outputs}) == 1
    after = subprocess.run(command, cwd=project, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           timeout=120)
    assert after.stdout == outputs[0][0] and not list(project.glob(".asl_lint_cache/.asl-lint-*.tmp"))


def test_no_cache_where_it_cannot_be_written_or_is_a_link(project: Path, tmp_path_factory) -> None:
    (project / "flow.asl.json").write_text(DEFINITION % "Gone", encoding="utf-8")
    (project / "a-file").write_text("x", encoding="utf-8")
    blocked = Config(cache=True, cache_dir=str(project / "a-file" / "cache"))  # under a file: cannot be made
    assert [d.rule for d in cached(["flow.asl.json"], blocked).diagnostics] == ["ASL202", "ASL203"]
    assert cached(["flow.asl.json"], blocked).cached == 0
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    os.symlink(elsewhere, project / ".asl_lint_cache")
    cached(["flow.asl.json"])
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert cached(["flow.asl.json"]).cached == 0


def test_no_cache_writes_nothing(project: Path) -> None:
    (project / "flow.asl.json").write_text(DEFINITION % "B", encoding="utf-8")
    report("--no-cache", "flow.asl.json")
    assert not (project / ".asl_lint_cache").exists()
    (project / ".asl-lint.yaml").write_text("cache: false\n", encoding="utf-8")
    report("flow.asl.json")
    assert not (project / ".asl_lint_cache").exists()


def test_the_cache_directory_can_be_chosen(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "flow.asl.json").write_text(DEFINITION % "B", encoding="utf-8")
    monkeypatch.setenv("ASL_LINT_CACHE_DIR", str(project / "from-env"))
    report("flow.asl.json")
    report("--cache-dir", "from-option", "flow.asl.json")
    assert list((project / "from-env").glob("*.json")) and list((project / "from-option").glob("*.json"))


def test_a_shared_definition_is_reported_by_the_file_that_checked_it_first(project: Path) -> None:
    (project / "flow.asl.json").write_text(DEFINITION % "Gone", encoding="utf-8")
    for name in ("a.yaml", "b.yaml"):
        (project / name).write_text(TEMPLATE % "flow.asl.json", encoding="utf-8")
    cold = report("--no-cache", "a.yaml", "b.yaml")
    assert report("a.yaml", "b.yaml") == cold and report("a.yaml", "b.yaml") == cold
    (project / "b.yaml").write_text(TEMPLATE % "flow.asl.json" + "# changed\n", encoding="utf-8")
    assert report("a.yaml", "b.yaml") == report("--no-cache", "a.yaml", "b.yaml")
    assert report("b.yaml") == report("--no-cache", "b.yaml")  # alone, b reports the definition itself


def test_workers_are_sized_by_the_work(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asl_lint.run import batch
    from asl_lint.walk import Candidate

    monkeypatch.setattr(batch.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(batch, "SECONDS_PER_WORKER", 0.1)  # forked workers
    small = project / "small.asl.json"
    small.write_text(DEFINITION % "B", encoding="utf-8")
    assert batch.workers_for([Candidate(str(small), True)] * 20) == 1  # hundredths of a second: no workers
    assert batch.workers_for([Candidate(str(small), True)] * 600) == 2  # about 0.14 s: one more pays
    big = project / "big.asl.json"
    big.write_bytes(b" " * 2_000_000)
    assert batch.workers_for([Candidate(str(big), True)]) == 1  # one file is never split
    assert batch.workers_for([Candidate(str(big), True)] * 2) == 2  # about 1.2 s
    assert batch.workers_for([Candidate(str(big), True)] * 20) == 4  # as many as pay, at most one per core
    monkeypatch.setattr(batch, "SECONDS_PER_WORKER", 1.0)  # spawned workers cost more
    assert batch.workers_for([Candidate(str(small), True)] * 600) == 1
