"""How the worker processes share a run's files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from asl_lint import workers


@pytest.mark.parametrize(("count", "largest", "team"), [(199, 24, 2), (10_000, 312, 2), (37, 1, 4), (5, 50, 8), (1, 3, 2)])
def test_chunks_cover_every_file_in_order_and_shrink_towards_the_end(count: int, largest: int, team: int) -> None:
    chunks = workers._chunks(count, largest, team)  # noqa: SLF001 - the scheduling itself
    assert [index for chunk in chunks for index in chunk] == list(range(count))
    sizes = [len(chunk) for chunk in chunks]
    assert max(sizes) <= largest
    assert sizes == sorted(sizes, reverse=True)  # never a big chunk after small ones
    assert sizes[-1] == 1  # the last file alone: no worker waits on another's long tail


def test_a_big_run_starts_with_the_largest_chunks() -> None:
    sizes = [len(chunk) for chunk in workers._chunks(10_000, 312, 2)]  # noqa: SLF001
    assert sizes[0] == 312 and len(sizes) < 100  # few round trips for the bulk


def test_workers_are_sized_from_the_walk_and_only_as_far_as_it_matters(tmp_path, monkeypatch) -> None:
    from asl_lint.run import batch
    from asl_lint.walk import Candidate

    monkeypatch.setattr(batch.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(batch, "SECONDS_PER_WORKER", 0.1)
    looked = []
    real_stat = batch.os.stat
    monkeypatch.setattr(batch.os, "stat", lambda path, *rest, **named: looked.append(path) or real_stat(path))
    big = tmp_path / "big.asl.json"
    big.write_bytes(b" " * 2_000_000)
    named = [Candidate(str(big), True)] * 50  # named on the command line: no stamp, one look each
    assert batch.workers_for(named) == 2 and len(looked) == 1  # the first file is work enough for both cores
    walked = [Candidate(str(big), False, stamp=[2_000_000, 0, 0, 0])] * 50
    looked.clear()
    assert batch.workers_for(walked) == 2 and looked == []  # the walk's stamp holds the size


def _square_or_die(item: int) -> int:
    if item == 6:
        os._exit(9)  # as the out-of-memory killer would end the worker
    return item * item


def test_a_worker_that_dies_on_a_file_blames_that_file_even_with_reports_unsent(monkeypatch) -> None:
    # The worker holds its reports while the chunk lasts: those it made before it died
    # were never sent, and still only the file it was on is blamed; the others are checked again.
    monkeypatch.setattr(workers, "SEND_EVERY", 3600.0)
    reports = list(workers.run_parallel(list(range(10)), _square_or_die, 1, lambda item: f"died on {item}", chunk_size=10))
    assert reports == [0, 1, 4, 9, 16, 25, "died on 6", 49, 64, 81]


def test_reports_come_back_in_order_when_sent_in_batches(monkeypatch) -> None:
    monkeypatch.setattr(workers, "SEND_EVERY", 0.0)  # every report on its own
    assert list(workers.run_parallel(list(range(50)), abs, 2, str, chunk_size=7)) == list(range(50))
    monkeypatch.setattr(workers, "SEND_EVERY", 3600.0)  # a chunk's reports in one message
    assert list(workers.run_parallel(list(range(50)), abs, 2, str, chunk_size=7)) == list(range(50))


def _wait_for_flag(item: tuple[int, str]) -> str:
    index, flag = item
    if index == 0:
        return "first"
    deadline = time.monotonic() + 20
    while not os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.01)
    return "after the first was given" if os.path.exists(flag) else "before the first was given"


def test_each_report_is_given_as_soon_as_those_before_it_are_in(tmp_path, monkeypatch) -> None:
    # The run settles reports while the workers go on: the last file here is checked only
    # once the first file's report has reached the run.
    monkeypatch.setattr(workers, "SEND_EVERY", 0.0)
    flag = str(tmp_path / "first-given")
    given = []
    for report in workers.run_parallel([(0, flag), (1, flag)], _wait_for_flag, 1, str, chunk_size=2):
        given.append(report)
        Path(flag).touch()
    assert given == ["first", "after the first was given"]


def test_a_diagnostic_crosses_from_a_worker_whole_and_still_frozen() -> None:
    import dataclasses
    import pickle

    from asl_lint.diagnostics import Diagnostic, Severity
    from asl_lint.edits import Edit, Fix

    sent = Diagnostic("ASL406", "lambda-without-retry", Severity.WARNING, "no Retry (state 'Call \\ud800')", "f.asl.json",
                      3, 5, 3, 20, "Machine", "/States/Call", "Call", "CODE", True,
                      fix=Fix("Add a Retry", (Edit(1, 2, "x"),), True), related=(("f.asl.json", 1, 1, 1, 2, "here"),))
    received = pickle.loads(pickle.dumps(sent))
    # fix and related take no part in equality: compared on their own
    assert received == sent and received.fix == sent.fix and received.related == sent.related
    assert [getattr(received, f.name) for f in dataclasses.fields(Diagnostic)] == \
        [getattr(sent, f.name) for f in dataclasses.fields(Diagnostic)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        received.line = 4  # type: ignore[misc]


def _large(item: int) -> str:
    return str(item) * 300_000  # a report far larger than a pipe holds


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pipes of forked workers")
def test_reports_larger_than_a_pipe_cross_whole() -> None:
    assert list(workers.run_parallel(list(range(4)), _large, 2, str, chunk_size=1)) == [_large(i) for i in range(4)]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pipes of forked workers")
def test_a_channel_whose_other_end_is_gone_ends_in_eof() -> None:
    run_end, worker_end = workers._channels()  # noqa: SLF001 - the framing itself
    try:
        worker_end.send({"reports": [1, 2]})
        assert run_end.recv() == {"reports": [1, 2]}
        os.write(worker_end.write_to, workers._FRAME.pack(100) + b"cut short")  # noqa: SLF001
        worker_end.close()
        with pytest.raises(EOFError):
            run_end.recv()
    finally:
        run_end.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_a_run_with_workers_loads_no_multiprocessing(tmp_path) -> None:
    import subprocess
    import sys

    for index in range(3):
        (tmp_path / f"f{index}.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}')
    script = ("import sys, asl_lint.api as api\n"
              "result = api.lint_paths([f'f{i}.asl.json' for i in range(3)], jobs=2)\n"
              "print(result.files, 'multiprocessing' in sys.modules)\n")
    ran = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["3", "False"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_a_forked_worker_is_killed_and_reaped_and_ends_with_its_status() -> None:
    run_end, worker_end = workers._channels()  # noqa: SLF001 - the process itself
    sleeper = workers._Forked(time.sleep, (60,), run_end)  # noqa: SLF001
    worker_end.close()
    assert sleeper.is_alive()
    sleeper.join(0.05)  # a join that times out leaves it running
    assert sleeper.is_alive()
    sleeper.kill()
    assert not sleeper.is_alive() and sleeper.exitcode == -9
    with pytest.raises(EOFError):
        run_end.recv()  # its end of the pipes closed with it
    run_end.close()
    run_end, worker_end = workers._channels()  # noqa: SLF001
    done = workers._Forked(len, ((),), run_end)  # noqa: SLF001
    done.join(5)
    assert done.exitcode == 0
    run_end.close()
    worker_end.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
@pytest.mark.parametrize("descriptors", [True, False], ids=["process descriptor", "looking again and again"])
def test_a_join_returns_as_the_worker_ends_not_at_its_timeout(monkeypatch, descriptors: bool) -> None:
    if not descriptors:
        monkeypatch.setattr(workers, "_process_descriptor", lambda pid: None)
    run_end, worker_end = workers._channels()  # noqa: SLF001 - the process itself
    napper = workers._Forked(time.sleep, (0.2,), run_end)  # noqa: SLF001
    worker_end.close()
    started = time.monotonic()
    napper.join(30)
    assert napper.exitcode == 0 and time.monotonic() - started < 10  # its end, not the 30 s
    run_end.close()


def _square(item: int) -> int:
    return item * item


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_every_worker_is_reaped_when_the_run_ends() -> None:
    assert list(workers.run_parallel(list(range(40)), _square, 3, str, chunk_size=4)) == [i * i for i in range(40)]
    with pytest.raises(ChildProcessError):  # no child left, not even one that has ended unreaped
        os.waitpid(-1, os.WNOHANG)
