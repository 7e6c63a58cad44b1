"""check, for one file: a candidate to a FileReport, never raising."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ..config import Config
from ..diagnostics import Diagnostic, FileReport, printable
from ..files import STDIN, FileRefused, References, decode, file_stamp, read_file, text_digest, too_large
from ..logs import get_logger

log = get_logger(__name__)


def lint_file(path: str, config: Config, explicit: bool = True, stdin_data: bytes | None = None,
              problem: str | None = None, references: References | None = None,
              problem_rule: str = "ASL005", text: str | None = None) -> FileReport:
    """Lint one file (or - for standard input) into a FileReport; never raises. `text`:
    the file's text, when the caller read it already."""
    shown = printable((config.stdin_filename or "<stdin>") if path == STDIN else path)
    if problem is not None:
        return FileReport([marker(problem_rule, shown, config, problem)])
    from ..engine import references_for  # the engine: only when a file is checked (not on a warm run)

    references = references or references_for(config)
    references.begin_file()
    # The stamp is what the result cache keeps to know the file unchanged: no cache, no look.
    stamp = _trusted_stamp(path) if config.cache and path != STDIN and text is None and not references.overlay \
        else None
    report = _lint_one(path, shown, config, explicit, stdin_data, references, text)
    report.stamp = stamp
    report.reads = sorted([path, stamp] for path, stamp in references.touched.items())
    report.listings = sorted([path, stamp] for path, stamp in references.listed.items())
    report.sources = {path: references.digests[real] for path in references.touched
                      if (real := os.path.realpath(path)) in references.digests}
    report.claims, report.deferred = dict(references.claimed), bool(references.deferred)
    return report


# A file changed less than this long before it was stamped may change again within the
# same tick of its clock without its stamp changing (git's "racily clean" entries): its
# stamp is not kept, and the next run reads and hashes it.
RACY_SECONDS = 2.0


def _trusted_stamp(path: str) -> list | None:
    """The file's stamp, taken before it is read, when it can stand for its text later:
    a regular file (no link) last changed more than RACY_SECONDS ago."""
    stamp = file_stamp(path)
    if stamp is None or stamp[3] or time.time_ns() - stamp[1] < RACY_SECONDS * 1e9:
        return None
    return stamp


def _digest_into(report: FileReport, text: str) -> FileReport:
    """The report, marked with the text it was made from: the result cache's key, and
    what --fix compares the file with before it writes."""
    report.digest = text_digest(text)
    return report


def _lint_one(path: str, shown: str, config: Config, explicit: bool, stdin_data: bytes | None,
              references: References, text: str | None) -> FileReport:
    try:
        text = text if text is not None else _text_of(path, config, stdin_data, references)
    except FileRefused as refused:
        return FileReport([marker(refused.rule, shown, config, refused.message)])
    from ..engine import NOT_CAUGHT, lint_text

    try:
        with _collector_paused():
            report = lint_text(text, shown, config, explicit, config.kind, references)
        return _digest_into(report, text) if path != STDIN else report
    except NOT_CAUGHT:
        raise
    except BaseException as error:  # the last guard: one file's surprise must not end the run
        log.debug("linting %s failed", shown, exc_info=True)
        del text  # after a MemoryError, give the report room to be written
        message = f"asl-lint failed on this file: {type(error).__name__}: {str(error)[:200]}"
        return FileReport([marker("ASL004", shown, config, printable(message))])


def _text_of(path: str, config: Config, stdin_data: bytes | None, references: References) -> str:
    """A file's text, from standard input, the overlay or the file; raises FileRefused."""
    if path == STDIN:
        data = stdin_data or b""
        if len(data) > config.max_file_bytes:
            raise too_large(len(data), config.max_file_bytes)
        return decode(data)
    if references.overlay and os.path.realpath(path) in references.overlay:
        references.trees().check(path)
        return references.overlay[os.path.realpath(path)]
    return read_file(path, config.max_file_bytes, references.trees())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one file is checked: everything a check builds
    lives until it ends, so each pass of the collector would only walk it (a quarter of
    the time on a 20,000-state definition). The collector runs again after the file,
    when its structures are garbage."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def marker(rule_id: str, path: str, config: Config, message: str) -> Diagnostic:
    """A diagnostic of one of the rules about a file rather than a definition (ASL004 a
    crash, ASL005 an unknown format, ASL012 too large, ...)."""
    from ..rules.catalogue import info

    rule = info(rule_id)
    assert rule is not None
    return Diagnostic(rule.id, rule.name, config.severity_of(rule), message, path)
