"""Time one command as a whole process: wall and CPU seconds and peak memory of its tree."""

from __future__ import annotations

import os
import subprocess
import sys

# The probe waits for the command in one blocking wait and kills it from a timer: a wait
# with a timeout polls, sleeping up to 50 ms between looks, which rounded every time up to
# the next look (0.215 s and 0.265 s for runs of about 0.20 s and 0.26 s).
_PROBE = """
import resource, subprocess, sys, threading, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
timer = threading.Timer(float(sys.argv[1]), process.kill)
timer.start()
status = process.wait()
took = time.perf_counter() - start
if not timer.is_alive():
    status = -1
timer.cancel()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, status)
"""


def measure(command: list[str], timeout: float = 300, cwd: str | os.PathLike | None = None,
            env: dict[str, str] | None = None) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak resident MB, exit status; -1 after the timeout) of
    `command`, run in `cwd` with `env` in a fresh probe process so that its children are
    all that is counted."""
    output = subprocess.run([sys.executable, "-c", _PROBE, str(timeout), *command], capture_output=True,
                            text=True, check=True, cwd=cwd, env=env)
    wall, cpu, megabytes, status = output.stdout.split()
    return float(wall), float(cpu), float(megabytes), int(status)


def write_section(title: str, lines: list[str]) -> None:
    """Put a table under its heading in benchmarks/results.md, replacing the one there."""
    from pathlib import Path

    results = Path(__file__).resolve().parent / "results.md"
    text = results.read_text(encoding="utf-8")
    block = f"{title}\n\n" + "\n".join(lines) + "\n"
    if title in text:
        start = text.index(title)
        end = text.find("\n## ", start + len(title))
        text = text[:start] + block + ("\n" + text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    results.write_text(text, encoding="utf-8")


def timed(command: list[str], runs: int) -> dict:
    """Medians of `runs` runs of a command: wall and CPU seconds, the peak memory, and the
    first run's exit status."""
    return figures([measure(command) for _ in range(runs)])


def figures(samples: list) -> dict:
    import statistics

    return {"wall": statistics.median(s[0] for s in samples), "cpu": statistics.median(s[1] for s in samples),
            "peak": max(s[2] for s in samples), "status": samples[0][3]}
