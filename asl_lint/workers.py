"""Files linted by worker processes, which die with the run and never take it down.

Each worker is forked from the run (it inherits the loaded rules, schema and graph
library) and is handed chunks of files one at a time; it writes the number of the file
it is on in memory it shares with the run, and sends back the reports it has made every
few hundredths of a second (a message per file cost the run, on the cores the workers
need, about a tenth of what checking a small file costs). So when a worker dies (the out-of-memory killer, a crash in
a compiled extension), the file it was on is known at once: that file is reported as
ASL004, the rest of its chunk (reports it had not sent included) goes back in the queue
and a new worker takes over. A worker whose parent is gone (killed, say) ends within a
second instead of living on.

Where the system can fork, a worker is made by os.fork and talks over two pipes
(_Forked, _Channel): the multiprocessing package would add 15 ms of imports to every run
that has workers, a twentieth of checking the public corpus. Elsewhere (Windows) the
workers are multiprocessing's.
"""

from __future__ import annotations

import mmap
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from .logs import get_logger

log = get_logger(__name__)

Item = TypeVar("Item")
Report = TypeVar("Report")

_READY = "ready"
SEND_EVERY = 0.02  # seconds: how long a worker keeps the reports it has made before it sends them
_ON_FILE = struct.Struct("q")
_NOT_IN = object()  # a report not received yet


def die_with(parent: int) -> None:
    """End this process when its parent does: at once on Linux (the kernel's parent-death
    signal), and on every system within half a second (a watch on the parent's id)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)


def _serve(connection, items: Sequence, work: Callable, parent: int, on_file: mmap.mmap | None) -> None:
    die_with(parent)
    # Without memory shared with the run (no fork), each report is sent at once: the first
    # file not reported is then the one it is on.
    send_every = SEND_EVERY if on_file is not None else 0.0
    try:
        while True:
            chunk = connection.recv()
            if chunk is None:
                return
            made: list = []
            sent = time.monotonic()
            for index in chunk:
                if on_file is not None:
                    _ON_FILE.pack_into(on_file, 0, index)
                made.append(work(items[index]))
                if time.monotonic() - sent >= send_every:
                    connection.send(made)  # the reports of the chunk's next files, in order
                    made, sent = [], time.monotonic()
            if made:
                connection.send(made)
            connection.send(_READY)
    except (EOFError, OSError, KeyboardInterrupt):
        return
    finally:
        connection.close()


_FRAME = struct.Struct("q")  # the length of a message, before it


class _Channel:
    """One end of a pair of pipes to another process: pickled messages, each after its
    length (what multiprocessing's Connection does, for processes made by fork)."""

    def __init__(self, read_from: int, write_to: int) -> None:
        self.read_from, self.write_to = read_from, write_to

    def fileno(self) -> int:
        return self.read_from

    def send(self, message: object) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        view = memoryview(_FRAME.pack(len(data)) + data)
        while view:
            view = view[os.write(self.write_to, view):]

    def recv(self) -> object:
        """The next message; EOFError when the other end is closed (its process is gone)."""
        return pickle.loads(self._exactly(_FRAME.unpack(self._exactly(_FRAME.size))[0]))

    def _exactly(self, size: int) -> bytes:
        parts, missing = [], size
        while missing:
            part = os.read(self.read_from, min(missing, 1 << 20))
            if not part:
                raise EOFError
            parts.append(part)
            missing -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        for descriptor in (self.read_from, self.write_to):
            try:
                os.close(descriptor)
            except OSError:
                pass


def _channels() -> tuple[_Channel, _Channel]:
    """(the run's end, the worker's end) of two new pipes."""
    to_worker_read, to_worker_write = os.pipe()
    to_run_read, to_run_write = os.pipe()
    return _Channel(to_run_read, to_worker_write), _Channel(to_worker_read, to_run_write)


class _Forked:
    """A worker made by os.fork, as much of multiprocessing.Process as the run uses."""

    def __init__(self, target: Callable, args: tuple, run_end: _Channel) -> None:
        for stream in (sys.stdout, sys.stderr):  # what is buffered now is written once, by the run
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        self.exitcode: int | None = None
        self.pid = os.fork()
        if self.pid == 0:  # the worker: it never returns into the run's code
            status = 1
            try:
                run_end.close()  # so that its end of the pipes closes when the run's does
                target(*args)
                status = 0
            except BaseException:  # noqa: BLE001 - the run reports its file as ASL004
                log.debug("worker %d failed", os.getpid(), exc_info=True)
            finally:
                os._exit(status)

    def is_alive(self) -> bool:
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                pid, status = self.pid, 0
            if pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is None

    def join(self, timeout: float) -> None:
        """Reaped once it ends, waiting at most `timeout` seconds: woken by its end where
        the system has process descriptors (Linux), else looking every few milliseconds."""
        if not self.is_alive():
            return
        descriptor = _process_descriptor(self.pid)
        if descriptor is not None:
            try:
                poller = select.poll()
                poller.register(descriptor, select.POLLIN)  # readable once the process has ended
                poller.poll(max(0, int(timeout * 1000 + 0.999)))  # milliseconds, rounded up
            finally:
                os.close(descriptor)
            self.is_alive()
            return
        deadline = time.monotonic() + timeout
        pause = 0.0002
        while self.is_alive() and time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, 0.01)

    def kill(self) -> None:
        if not self.is_alive():
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        self.join(1.0)  # reaped once it is gone; never a wait without end (a process stuck in the kernel)


def _process_descriptor(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)  # Linux 5.3 and later
    except (AttributeError, OSError):
        return None


class _Worker:
    def __init__(self, context, items: Sequence, work: Callable) -> None:
        if context is None:  # fork
            self.connection, child = _channels()
            # The item it is on, written by the worker: an anonymous mapping, shared once forked.
            self.on_file: mmap.mmap | None = mmap.mmap(-1, _ON_FILE.size)
            self.process = _Forked(_serve, (child, items, work, os.getpid(), self.on_file), self.connection)
        else:
            self.connection, child = context.Pipe()
            self.on_file = None
            self.process = context.Process(target=_serve, args=(child, items, work, os.getpid(), None), daemon=True)
            self.process.start()
        child.close()
        self.pending: list[int] = []  # the chunk it holds, minus what it has reported
        self.stopped = False

    def file_on(self) -> int:
        """The item it was on when it stopped (the first it has not reported, when unsure)."""
        if self.on_file is not None:
            index = _ON_FILE.unpack_from(self.on_file)[0]
            if index in self.pending:
                return index
        return self.pending[0]

    def give(self, chunk: list[int]) -> None:
        self.pending = list(chunk)
        self.connection.send(chunk)

    def stop(self) -> None:
        """Tells it to end, without waiting for it to be gone: `end` waits."""
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.connection.close()
        self.stopped = True

    def end(self, deadline: float) -> None:
        """Gone by the deadline: a worker told to stop exits on its own (its memory torn
        down, a few milliseconds); anything else, or one still there then, is killed."""
        if self.stopped:
            self.process.join(timeout=max(0.0, deadline - time.monotonic()))
        if self.process.is_alive():
            self.process.kill()


def run_parallel(items: Sequence[Item], work: Callable[[Item], Report], workers: int,
                 on_death: Callable[[Item], Report], chunk_size: int = 1) -> Iterator[Report]:
    """`work(item)` for every item on `workers` forked processes; the reports in the
    order of the items, each given as soon as it and those before it are in (the run
    settles them while the workers go on, instead of all of them after the last).
    An item whose worker dies while on it gets `on_death(item)`. Chunks hold at most
    `chunk_size` items and shrink as the end nears, so that the workers finish together."""
    context = None if hasattr(os, "fork") else _spawning_context()
    reports: list = [_NOT_IN] * len(items)
    given = 0  # the reports before this one are given
    queue = _chunks(len(items), chunk_size, workers)
    queue.reverse()  # popped from the end: in order
    team = [_Worker(context, items, work) for _ in range(min(workers, len(queue)))]
    try:
        for worker in team:
            worker.give(queue.pop())
        busy = {worker.connection: worker for worker in team}
        while busy:
            for connection in _readable(list(busy)):
                worker = busy[connection]
                try:
                    message = connection.recv()
                except (EOFError, OSError):
                    message = None
                if message is None:  # it died: the file it was on killed it
                    del busy[connection]
                    worker.stop()
                    if worker.pending:
                        culprit = worker.file_on()
                        reports[culprit] = on_death(items[culprit])
                        rest = [index for index in worker.pending if index != culprit]
                        if rest:
                            queue.append(rest)
                    if queue:
                        replacement = _Worker(context, items, work)
                        replacement.give(queue.pop())
                        busy[replacement.connection] = replacement
                        team.append(replacement)
                elif message == _READY:
                    if queue:
                        worker.give(queue.pop())
                    else:
                        del busy[connection]
                        worker.stop()
                else:  # the reports of the next files of its chunk
                    for index, report in zip(worker.pending, message):
                        reports[index] = report
                    del worker.pending[:len(message)]
                while given < len(reports) and reports[given] is not _NOT_IN:
                    yield reports[given]
                    reports[given] = None  # given: the run keeps what it needs of it
                    given += 1
    finally:
        # Waited for together: the workers that finish last tear their memory down at once.
        deadline = time.monotonic() + 5
        for worker in team:
            worker.end(deadline)


def _spawning_context():  # -> multiprocessing context
    import multiprocessing

    return multiprocessing.get_context()


def _readable(connections: list) -> list:
    """The connections with a message (or an end) to read, waiting for one: a poll of
    their descriptors where the system has it, which costs a tenth of
    multiprocessing.connection.wait's selector, made anew on each call (the run calls this
    for every message)."""
    if not hasattr(select, "poll"):
        from multiprocessing.connection import wait

        return wait(connections)
    poller = select.poll()
    for connection in connections:
        poller.register(connection.fileno(), select.POLLIN)  # an end (POLLHUP) is always reported
    ready = {descriptor for descriptor, _ in poller.poll()}  # retried after a signal (PEP 475)
    return [connection for connection in connections if connection.fileno() in ready]


def _chunks(count: int, largest: int, workers: int) -> list[list[int]]:
    """Indexes 0..count-1 in consecutive chunks, each at most `largest` and about a
    (2 x workers)th of what remains: a last big chunk would keep one worker busy while
    the others wait."""
    chunks, start = [], 0
    while start < count:
        size = max(1, min(largest, (count - start) // (2 * max(1, workers))))
        chunks.append(list(range(start, min(start + size, count))))
        start += size
    return chunks

