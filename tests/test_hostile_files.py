"""Hostile file systems and outputs: FIFOs, loops, huge files, references that escape, text
that would act on a terminal or a CI log, and reports that cannot be written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint import api, files, walk
from asl_lint.run import batch
from asl_lint.cli import main
from asl_lint.config import Config

VALID = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'
UNREACHABLE = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def rules(result) -> list[tuple[str, str]]:
    return [(d["rule"], d["file"]) for d in json.loads(result.stdout)["diagnostics"]]


def test_a_fifo_named_on_the_command_line_is_never_opened(project: Path) -> None:
    os.mkfifo("pipe.asl.json")  # opening it for reading would wait forever for a writer
    Path("ok.asl.json").write_text(UNREACHABLE)
    result = run("--format", "json", "pipe.asl.json", "ok.asl.json")
    assert rules(result) == [("ASL203", "ok.asl.json"), ("ASL005", "pipe.asl.json")]
    assert "named pipe" in json.loads(result.stdout)["diagnostics"][1]["message"]


def test_a_fifo_met_while_walking_is_skipped(project: Path) -> None:
    Path("flows").mkdir()
    os.mkfifo("flows/pipe.asl.json")
    Path("flows/ok.asl.json").write_text(VALID)
    result = run("--format", "json", "flows")
    assert json.loads(result.stdout)["summary"]["files"] == 1 and result.exit_code == 0


def test_a_symbolic_link_loop_is_walked_once_and_a_file_loop_is_reported(project: Path) -> None:
    Path("flows").mkdir()
    Path("flows/ok.asl.json").write_text(VALID)
    os.symlink("..", "flows/up")  # a directory loop: not followed
    os.symlink("b.asl.json", "flows/a.asl.json")
    os.symlink("a.asl.json", "flows/b.asl.json")  # a file loop
    result = run("--format", "json", "flows")
    document = json.loads(result.stdout)
    assert document["summary"]["files"] == 3
    assert [d["rule"] for d in document["diagnostics"]] == ["ASL005", "ASL005"]
    assert "loop" in document["diagnostics"][0]["message"]


def test_a_directory_that_cannot_be_listed_is_reported(project: Path, monkeypatch) -> None:
    Path("flows/locked").mkdir(parents=True)
    Path("flows/ok.asl.json").write_text(VALID)
    real_scandir = os.scandir

    def scandir(path):  # root may list anything: simulate the refusal
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    result = run("--format", "json", "flows")
    assert rules(result) == [("ASL005", "flows/locked")]
    assert "cannot list the directory" in json.loads(result.stdout)["diagnostics"][0]["message"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(project: Path, monkeypatch) -> None:
    Path("big.asl.json").write_text(VALID + " " * (2 * 1024 * 1024))
    real_open = files.os.open

    def watched_open(path, *args, **kwargs):
        if os.path.basename(path) == "big.asl.json":
            pytest.fail("the file was opened")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", watched_open)
    result = run("--format", "json", "--max-file-size", "1", "big.asl.json")
    assert rules(result) == [("ASL012", "big.asl.json")] and result.exit_code == 1


def test_a_file_is_read_to_its_end_when_a_read_returns_less_than_asked(project: Path, monkeypatch) -> None:
    # One read of a regular file may return less than asked (a signal, a network file
    # system): the text is read on until the end, never cut short.
    Path("slow.asl.json").write_text(VALID)
    real_read = files.os.read
    monkeypatch.setattr(files.os, "read", lambda descriptor, size: real_read(descriptor, min(size, 7)))
    assert files.read_file("slow.asl.json") == VALID


def test_a_file_that_grew_past_the_limit_since_it_was_measured_is_refused(project: Path, monkeypatch) -> None:
    Path("grew.asl.json").write_text(VALID)
    real_stat = files.os.stat
    monkeypatch.setattr(files.os, "stat", lambda path, *rest, **named: os.stat_result(
        (*tuple(real_stat(path, *rest, **named))[:6], 10, *tuple(real_stat(path, *rest, **named))[7:])))
    with pytest.raises(files.FileRefused) as refused:
        files.read_file("grew.asl.json", max_bytes=len(VALID) - 1)
    assert refused.value.rule == "ASL012"
    assert files.read_file("grew.asl.json", max_bytes=len(VALID)) == VALID  # measured 10 bytes, read whole


def test_standard_input_over_the_size_limit_is_refused() -> None:
    result = run("--format", "json", "--max-file-size", "1", "-", input=b" " * (1024 * 1024 + 10))
    assert rules(result) == [("ASL012", "<stdin>")]


def test_an_unreadable_file_named_on_the_command_line_does_not_stop_the_run(project: Path, monkeypatch) -> None:
    Path("secret.asl.json").write_text(VALID)
    Path("ok.asl.json").write_text(UNREACHABLE)
    real_open = os.open

    def refuse(path, *args, **kwargs):  # root reads anything: simulate a permission error
        if str(path).endswith("secret.asl.json"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", refuse)
    result = run("--format", "json", "secret.asl.json", "ok.asl.json")
    assert rules(result) == [("ASL203", "ok.asl.json"), ("ASL005", "secret.asl.json")]
    assert result.exit_code == 1


SAM = """Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: {uri}
"""


@pytest.mark.parametrize("uri", ["/etc/passwd", "../../../../../../../../etc/hostname", "escape.asl.json"])
def test_references_outside_the_project_are_not_read(project: Path, uri: str) -> None:
    os.symlink("/etc/passwd", "escape.asl.json")  # inside by name, outside once resolved
    Path("template.yaml").write_text(SAM.format(uri=uri))
    result = run("--format", "json", "template.yaml")
    document = json.loads(result.stdout)
    assert [d["rule"] for d in document["diagnostics"]] == ["ASL013"]
    assert "root:" not in result.output and result.exit_code == 0


def test_outside_references_allowed_never_echo_the_file(project: Path) -> None:
    Path("template.yaml").write_text(SAM.format(uri="/etc/passwd"))
    result = run("--format", "json", "--allow-outside-references", "template.yaml")
    assert [d["rule"] for d in json.loads(result.stdout)["diagnostics"]] == ["ASL014"]
    assert "root:" not in result.output


def test_references_inside_a_monorepo_are_read(project: Path) -> None:
    Path(".git").mkdir()
    Path("shared").mkdir()
    Path("shared/flow.asl.json").write_text(UNREACHABLE)
    Path("services/orders").mkdir(parents=True)
    Path("services/orders/template.yaml").write_text(SAM.format(uri="../../shared/flow.asl.json"))
    os.chdir("services/orders")
    result = run("--format", "json", "template.yaml")
    assert [d["rule"] for d in json.loads(result.stdout)["diagnostics"]] == ["ASL203"]


def test_a_file_referenced_by_ten_resources_is_parsed_once(project: Path, monkeypatch) -> None:
    Path("flow.asl.json").write_text(UNREACHABLE)
    resources = "".join(f"  Flow{i}:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
                        f"      DefinitionUri: flow.asl.json\n" for i in range(10))
    Path("template.yaml").write_text("Resources:\n" + resources)
    parsed = []
    real = files.References.parsed

    def counting(self, path, parse):
        return real(self, path, lambda text, name: parsed.append(name) or parse(text, name))

    monkeypatch.setattr(files.References, "parsed", counting)
    result = api.lint_paths(["template.yaml"], Config())
    assert parsed == ["flow.asl.json"]
    assert [d.rule for d in result.diagnostics] == ["ASL203"]


HOSTILE_NAME = "X\n::error file=README.md,line=1::pwned \x1b[31mred\u2028next"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_names_in_text_and_annotations_can_never_start_a_line(project: Path, fmt: str) -> None:
    definition = {"StartAt": HOSTILE_NAME, "States": {HOSTILE_NAME: {"Type": "Pass", "Next": HOSTILE_NAME + "!"}}}
    Path("hostile.asl.json").write_text(json.dumps(definition))
    result = run("--format", fmt, "--color", "always", "hostile.asl.json")
    lines = result.output.splitlines()
    assert not any(line.startswith("::error file=README") for line in lines)
    assert "\x1b[31m" not in result.output and "\u2028" not in result.output
    if fmt == "github":
        assert lines[:-1] and all(line.startswith(("::error file=hostile.asl.json,",
                                                   "::warning file=hostile.asl.json,")) for line in lines[:-1])
        assert lines[-1] == "2 errors, 1 warning, 0 infos in 1 file, 1 state machine."


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_a_lone_surrogate_in_a_logical_id_reaches_every_reporter(project: Path, fmt: str) -> None:
    template = '{"Resources": {"Flow\\ud800": {"Type": "AWS::StepFunctions::StateMachine", "Properties": ' \
               '{"Definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}}}}}'
    Path("template.json").write_text(template)
    result = run("--format", fmt, "template.json")
    assert result.exit_code == 1
    shown = "Flow\\ud800"  # the logical id, with its lone surrogate written as an escape
    if fmt == "json":
        assert {d["machine"] for d in json.loads(result.stdout)["diagnostics"]} == {shown}
    elif fmt == "sarif":
        results = json.loads(result.stdout)["runs"][0]["results"]
        assert all(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith(shown) for r in results)
    else:
        assert shown in result.output


@pytest.mark.parametrize("target", ["a-directory", "missing/report.json"])
def test_a_report_that_cannot_be_written_fails_before_linting(project: Path, target: str, monkeypatch) -> None:
    Path("a-directory").mkdir()
    Path("ok.asl.json").write_text(VALID)
    monkeypatch.setattr(api, "lint_paths", lambda *a, **k: pytest.fail("linted before the output was known"))
    result = CliRunner().invoke(main, ["--format", "github", "-o", target, "ok.asl.json"])
    assert result.exit_code == 2
    assert "cannot write the report" in result.output or "cannot write the report" in (result.stderr or "")


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asl_lint", *args], capture_output=True, text=True, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_full_disk_is_exit_status_two_with_one_line(project: Path) -> None:
    Path("ok.asl.json").write_text(VALID)
    result = _cli("-o", "/dev/full", "ok.asl.json")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "No space left" in result.stderr


def test_a_closed_standard_output_is_exit_status_two(project: Path) -> None:
    Path("bad.asl.json").write_text(UNREACHABLE)
    result = subprocess.run(f"{sys.executable} -m asl_lint bad.asl.json >&-", shell=True, capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.startswith("asl-lint: cannot write the report")


def test_jobs_never_exceed_the_files_or_a_few_per_core(project: Path, monkeypatch) -> None:
    from asl_lint import workers
    from asl_lint.config import JOBS_PER_CORE

    started = []
    real = workers.run_parallel
    monkeypatch.setattr(workers, "run_parallel", lambda items, work, count, *rest: started.append(count) or
                        real(items, work, count, *rest))
    for name in ("a", "b"):
        Path(f"{name}.asl.json").write_text(VALID)
    api.lint_paths(["a.asl.json", "b.asl.json"], Config(), jobs=200)
    assert started == [2]
    assert Config(jobs=100_000).effective_jobs() == JOBS_PER_CORE * (os.cpu_count() or 1)


def test_a_worker_that_dies_is_reported_and_the_run_goes_on(project: Path, monkeypatch) -> None:
    real = batch.lint_file

    def die_on_killer(path, *args, **kwargs):
        if path.endswith("killer.asl.json"):
            os._exit(9)  # as the out-of-memory killer would end it
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "lint_file", die_on_killer)  # the forked workers inherit it
    for name in ("a", "killer", "z"):
        Path(f"{name}.asl.json").write_text(UNREACHABLE)
    result = api.lint_paths(["a.asl.json", "killer.asl.json", "z.asl.json"], Config(), jobs=2)
    assert [(d.rule, d.file) for d in result.diagnostics] == [
        ("ASL203", "a.asl.json"), ("ASL004", "killer.asl.json"), ("ASL203", "z.asl.json")]


def test_a_worker_that_dies_costs_one_new_worker_not_one_per_file(project: Path, monkeypatch) -> None:
    from asl_lint import workers

    real = batch.lint_file
    made = []
    real_worker = workers._Worker

    def counted(*args):
        made.append(1)
        return real_worker(*args)

    def die_on_killer(path, *args, **kwargs):
        if path.endswith("killer.asl.json"):
            os._exit(9)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "lint_file", die_on_killer)
    monkeypatch.setattr(workers, "_Worker", counted)
    names = [f"f{i:02d}" for i in range(40)]
    names.insert(6, "killer")
    for name in names:
        Path(f"{name}.asl.json").write_text(UNREACHABLE)
    result = api.lint_paths([f"{name}.asl.json" for name in names], Config(), jobs=2)
    assert sorted(d.rule for d in result.diagnostics) == ["ASL004"] + ["ASL203"] * 40
    assert len(made) == 3  # two workers, and one to replace the one that died


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_a_run_with_workers_checks_no_file_of_its_own(project: Path, monkeypatch) -> None:
    # The run warms up on a built-in definition: a file that kills its checker can only
    # kill a worker, and no file (a big one first, say) is checked twice.
    from asl_lint.run import batch

    checked_here = []  # by this process: the workers' own calls stay in their copies of it
    real = batch.lint_file

    def recorded(path, *args, **kwargs):
        checked_here.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(batch, "lint_file", recorded)
    for i in range(8):
        Path(f"f{i}.asl.json").write_text(UNREACHABLE)
    result = api.lint_paths([f"f{i}.asl.json" for i in range(8)], Config(), jobs=2)
    assert sorted(d.rule for d in result.diagnostics) == ["ASL203"] * 8
    assert checked_here == []


def test_workers_are_stopped_and_waited_for_before_the_run_returns(project: Path, monkeypatch) -> None:
    from asl_lint import workers

    made = []
    real_worker = workers._Worker  # noqa: SLF001 - the processes themselves

    def recorded(*args):
        made.append(real_worker(*args))
        return made[-1]

    monkeypatch.setattr(workers, "_Worker", recorded)
    for i in range(12):
        Path(f"f{i:02d}.asl.json").write_text(VALID)
    result = api.lint_paths([f"f{i:02d}.asl.json" for i in range(12)], Config(), jobs=2)
    assert result.files == 12 and len(made) == 2
    # Told to stop and ended of themselves (status 0), not killed or left to die with the run.
    assert [worker.process.exitcode for worker in made] == [0, 0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_the_run(project: Path) -> None:
    import signal
    import time

    for i in range(6):
        Path(f"f{i}.asl.json").write_text(VALID)
    script = (
        "import time, asl_lint.api as api, asl_lint.run.batch as batch\n"
        "batch.lint_file = lambda *a, **k: time.sleep(60)\n"
        "api.lint_paths([f'f{i}.asl.json' for i in range(6)], jobs=2)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])

    def children() -> list[int]:
        found = []
        for entry in os.listdir("/proc"):
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if entry.isdigit() and int(fields[1]) == parent.pid:
                found.append(int(entry))
        return found

    deadline = time.monotonic() + 20
    while len(children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = children()
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
              for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
    assert alive == []
