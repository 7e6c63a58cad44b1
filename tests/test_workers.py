"""How the worker processes share a run's files."""

from __future__ import annotations

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
