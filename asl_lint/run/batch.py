"""check, for a run's files: each candidate's report, from the result cache or computed,
in order or spread over worker processes."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import nullcontext

from ..config import Config
from ..diagnostics import FileReport, LintResult, printable
from ..files import STDIN, FileRefused, References, Trees, read_file, text_digest
from ..walk import Candidate
from .check import lint_file, marker

# About how long checking takes per file and per byte (a 50-state JSON definition of 7.6 KB
# takes 2.4 ms on one core, a 100-byte one 0.2 ms), and how much work pays for one more
# worker. Forked from the warmed-up run, a worker costs a few hundredths of a second: on 2
# cores, 20 files of 16 KB (0.1 s) check as fast on two as on one, 40 files 1.13x faster,
# 2,000 files of 100 bytes 1.17x. A spawned worker (no fork: Windows) imports everything
# again, about half a second.
SECONDS_PER_FILE = 2e-4
SECONDS_PER_BYTE = 3e-7
SECONDS_PER_WORKER = 0.1 if hasattr(os, "fork") else 1.0

_process_ends_after_run = False


def process_ends_after_run() -> None:
    """Said by the command line, whose process ends once its report is written, without
    freeing anything: the last file a run checks in this process is then not freed either."""
    global _process_ends_after_run
    _process_ends_after_run = True


def check_files(files: list[Candidate], config: Config, stdin_data: bytes | None, jobs: int,
                overlay: dict[str, str] | None, result: LintResult) -> Iterator[FileReport]:
    """One report per candidate, in the candidates' order, each as soon as it is made (a
    run of many files never holds them all). The cache (when the run has one) answers what
    it can and keeps the new reports; its warnings and hits go into `result`."""
    cache = _open_cache(config, overlay, result)
    known = _cached(files, config, cache) if cache is not None and cache.entries else {}
    jobs = config.effective_jobs(jobs)
    misses = [c for i, c in enumerate(files) if i not in known]
    workers = min(jobs, len(misses)) if jobs else workers_for(misses)
    if workers > 1 and stdin_data is None and not overlay:
        claims = {key: machine for _, hit_claims in known.values() for key, machine in hit_claims.items()}
        linted = _lint_in_parallel(misses, config, workers, claims)
        reports: Iterable[FileReport] = _cached_and_linted(len(files), known, linted)
    else:
        reports = _lint_in_order(files, config, stdin_data, overlay, known)
    for index, report in enumerate(reports):
        if cache is not None and index not in known and report.digest:
            cache.put(cache.key_from(files[index].path, files[index].explicit), report)
        yield report
    if cache is not None:
        cache.save()
        result.cached = cache.hits


def _cached_and_linted(count: int, known: dict[int, tuple[FileReport, dict]],
                       linted: Iterator[FileReport]) -> Iterator[FileReport]:
    """The reports of `count` files: those the cache knows, the others as the workers make them."""
    for index in range(count):
        yield known[index][0] if index in known else next(linted)
    for _ in linted:  # none is left: the workers are stopped and waited for before the run goes on
        pass


def workers_for(files: list[Candidate]) -> int:
    """Worker processes for these files by the work they are (-j 0): the run itself, and
    one more for each SECONDS_PER_WORKER of estimated work; at most one per core and one
    per file."""
    most = max(1, min(os.cpu_count() or 1, len(files)))
    total = 0.0
    for candidate in files:
        if candidate.stamp is not None:  # the walk's own look at the file
            size = candidate.stamp[0]
        else:
            try:
                size = os.stat(candidate.path).st_size if candidate.path != STDIN else 0
            except OSError:
                size = 0
        total += SECONDS_PER_FILE + size * SECONDS_PER_BYTE
        if 1 + int(total / SECONDS_PER_WORKER) >= most:  # enough work for every worker there can be
            break
    return max(1, min(most, 1 + int(total / SECONDS_PER_WORKER)))


def _open_cache(config: Config, overlay, result: LintResult) -> object | None:
    """The result cache of this run, or None: off, asked for none, texts not on disk, or a
    directory that is not asl-lint's to use (said in the result's warnings)."""
    if not config.cache or overlay or config.aws_validate != "off":
        return None
    from ..cache import CacheRefused, ResultCache

    try:
        return ResultCache.open(config)
    except CacheRefused as refused:
        result.warnings.append(str(refused))
        return None


def _cached(files: list[Candidate], config: Config, cache) -> dict[int, tuple[FileReport, dict]]:
    """The files whose reports the cache holds: index -> (report, shared definitions it
    checked first)."""
    trees = Trees(config.reference_roots, config.allow_outside_references)
    known = {}
    for index, candidate in enumerate(files):
        if candidate.path == STDIN or candidate.problem is not None:
            continue
        key = cache.key_from(candidate.path, candidate.explicit)
        digest = cache.digest_if_unchanged(key, candidate.path, candidate.stamp)
        if digest is None:
            try:
                digest = text_digest(read_file(candidate.path, config.max_file_bytes, trees))
            except FileRefused:
                continue
        found = cache.get(key, digest)
        if found is not None:
            known[index] = found
    return known


def _lint_in_order(files: list[Candidate], config: Config, stdin_data: bytes | None, overlay, known: dict):
    """Each file's report in turn, the cached ones among them: a shared definition is
    reported by the file that checked it first, as in a run without the cache."""
    references = None  # made at the first file to check: a run the cache answers needs no engine
    replayed: list[dict] = []
    checked_one = False
    for index, candidate in enumerate(files):
        if index in known:
            report, claims = known[index]
            if references is None:
                replayed.append(claims)
            else:
                references.replay(claims)
            yield report
            continue
        if references is None:
            from ..engine import references_for

            references = references_for(config, overlay)
            for claims in replayed:
                references.replay(claims)
        keeping = nullcontext
        if _process_ends_after_run and index == len(files) - 1:
            from ..engine import keeping_what_is_checked as keeping
        with keeping():
            report = lint_file(candidate.path, config, candidate.explicit, stdin_data, candidate.problem, references,
                               candidate.rule)
        yield report
        if not checked_one:
            # The first check imported the rules and the schema: they live as long
            # as the run, and no collection after each file needs to walk them again.
            gc.freeze()
            checked_one = True


def _lint_in_parallel(files: list[Candidate], config: Config, workers: int,
                      claims: dict | None = None) -> Iterator[FileReport]:
    """Files spread over `workers` processes; a file whose worker dies (the out-of-memory
    killer, a crash in a compiled extension) is reported as ASL004 and the rest go on."""
    from functools import partial

    from ..engine import warm_up
    from ..workers import run_parallel

    warm_up(config)  # forked workers inherit what is loaded now instead of loading it each
    gc.freeze()  # what the workers inherit stays out of their collections: no copy-on-write churn
    size = max(1, len(files) // (workers * 4))
    return run_parallel(files, partial(_lint_candidate, config=config, claims=claims or {}), workers,
                        partial(_died_on, config=config), size)


def _died_on(candidate: Candidate, config: Config) -> FileReport:
    message = "the worker process checking this file stopped (out of memory?); run with -j 1 to see more"
    return FileReport([marker("ASL004", printable(candidate.path), config, message)])


_worker_references: tuple[int, References] | None = None


def _lint_candidate(candidate: Candidate, config: Config, claims: dict) -> FileReport:
    """One file in a worker; the files it references are read once per worker and config."""
    from ..engine import references_for

    global _worker_references
    if _worker_references is None or _worker_references[0] != id(config):
        _worker_references = (id(config), references_for(config))
        _worker_references[1].replay(claims)
    return lint_file(candidate.path, config, candidate.explicit, None, candidate.problem, _worker_references[1],
                     candidate.rule)
