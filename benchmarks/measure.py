"""Time one command as a whole process: wall and CPU seconds and peak memory of its tree."""

from __future__ import annotations

import os
import subprocess
import sys

_PROBE = """
import resource, subprocess, sys, time
start = time.perf_counter()
try:
    status = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            timeout=float(sys.argv[1])).returncode
except subprocess.TimeoutExpired:
    status = -1
took = time.perf_counter() - start
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
