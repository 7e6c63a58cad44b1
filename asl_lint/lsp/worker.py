"""The process that checks for the language server: warm, one at a time, replaceable.

The server never checks anything itself, so the editor's messages are always answered.
The checking process imports the engine and compiles the schema once, then answers
requests (lsp.analysis) one after another. One that takes longer than the timeout is
killed and replaced (the document gets an ASL006 diagnostic); one that dies (a crash in
a compiled extension, the out-of-memory killer) is replaced too (ASL004). It dies with
the server.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import Connection

READY = "ready"
_WARM_UP_SECONDS = 60  # imports and the compiled schema, on the slowest machine


def _serve(connection: Connection, parent: int) -> None:
    from ..workers import die_with

    die_with(parent)
    from . import analysis

    _warm_up(analysis)
    connection.send(READY)
    handlers = {"check": analysis.check, "hover": analysis.hover, "actions": analysis.actions,
                "definition": analysis.definition, "references": analysis.references,
                "prepareRename": analysis.prepare_rename, "rename": analysis.rename, "symbols": analysis.symbols,
                "folding": analysis.folding, "completion": analysis.completion, "graph": analysis.graph,
                "fixAll": analysis.fix_all, "filesChanged": analysis.files_changed}
    while True:
        try:
            kind, request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", handlers[kind](request))
        except Exception as error:  # noqa: BLE001 - reported as ASL004 on the document, the process goes on
            answer = ("error", f"{type(error).__name__}: {error}")
        connection.send(answer)


def _warm_up(analysis) -> None:
    """Check a small definition once: what the first real check would load is loaded."""
    from ..config import Config
    from ..engine import warm_up

    warm_up(Config())


class Checker:
    """Requests to the checking process, one at a time, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process = None
        self._connection: Connection | None = None

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # the server has threads: no fork
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, os.getpid()), daemon=True, name="asl-lint-check")
        process.start()
        theirs.close()
        if not ours.poll(_WARM_UP_SECONDS) or ours.recv() != READY:
            process.kill()
            raise RuntimeError("the checking process did not start")
        self._process, self._connection = process, ours

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def warm(self) -> None:
        """Start the checking process now, so that the first check does not wait for it."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._stop()
                self._start()

    def call(self, kind: str, request: dict, timeout: float) -> tuple[str, object]:
        """("ok", answer), ("error", why) when the request failed in the process,
        ("timeout", None) or ("crash", why) after which the process was replaced."""
        with self._lock:
            try:
                if self._process is None or not self._process.is_alive():
                    self._stop()
                    self._start()
                self._connection.send((kind, request))
                if not self._connection.poll(timeout):
                    self._stop()
                    return "timeout", None
                return self._connection.recv()
            except (EOFError, OSError, RuntimeError) as error:
                code = self._process.exitcode if self._process is not None else None
                self._stop()
                return "crash", f"the checking process stopped ({error or 'exit code ' + str(code)})"

    def close(self) -> None:
        with self._lock:
            self._stop()
