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
