"""asl-lint side by side with the other validators, in one run on one machine.

    python benchmarks/compare.py [--runs 5] [--cache DIR] [--only NAME] [--write]

Installs the peers into a cache directory from their registries (npm: asl-validator,
@wmfs/statelint; PyPI: statelint, cfn-lint) and skips, saying so, any that cannot be
installed. Scenarios: a single small file (and the import floor of asl-lint's stack),
200 generated 50-state definitions in one invocation (without findings, then with an
ASL406 finding on each Lambda Task, default workers and -j 2), every plain-ASL file labelled
valid in ../shared/corpus, generated definitions of 1,000, 5,000 and 20,000 states, a
CloudFormation template with 100 state machines, and the batch with default jobs
against -j 1. Prints medians and the ratios asl-lint / fastest peer, CPU and wall, each the
median of the runs' ratios (the tools run in turns, so each run has its pair); --write puts
the tables in benchmarks/results.md.
Absolute figures are noisy on shared machines: compare only figures from one run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import definition, template  # noqa: E402
from measure import figures as summed  # noqa: E402
from measure import measure  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
# Cold: no result cache (the command line's default is to keep one). Warm scenarios give
# a cache directory of their own, filled by a first run that is not timed.
ASL_LINT = [sys.executable, "-m", "asl_lint", "--isolated", "--format", "json", "--no-cache"]
SLOW_PEERS = ("asl-validator",)  # minutes on thousands of files: left out of the largest runs
FLOOR = [sys.executable, "-c", "import click, jsonschema, yaml, networkx, rich"]


def install_peers(cache: Path) -> dict[str, str]:
    """Name -> executable of each peer that could be installed (missing ones are said)."""
    found: dict[str, str] = {}
    npm = cache / "npm"
    binaries = npm / "node_modules" / ".bin"
    if shutil.which("npm") and not (binaries / "statelint").exists():
        subprocess.run(["npm", "install", "--prefix", str(npm), "--no-audit", "--no-fund", "asl-validator",
                        "@wmfs/statelint"], capture_output=True)
    for name, binary in (("@wmfs/statelint", "statelint"), ("asl-validator", "asl-validator")):
        if (binaries / binary).exists():
            found[name] = str(binaries / binary)
        else:
            print(f"skipped {name}: npm could not install it", file=sys.stderr)
    venv = cache / "venv"
    python = venv / ("Scripts" if os.name == "nt" else "bin")
    if not (python / "statelint").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
        subprocess.run([str(python / "python"), "-m", "pip", "install", "-q", "statelint", "cfn-lint"],
                       capture_output=True)
    for name, binary in (("statelint (PyPI)", "statelint"), ("cfn-lint", "cfn-lint")):
        if (python / binary).exists():
            found[name] = str(python / binary)
        else:
            print(f"skipped {name}: pip could not install it", file=sys.stderr)
    return found


def commands(peers: dict[str, str], files: list[str], templates: bool = False) -> dict[str, list[str]]:
    """The command each tool runs on `files` in one invocation (where it takes many)."""
    result = {"asl-lint": [*ASL_LINT, *files]}
    if templates:
        if "cfn-lint" in peers:
            result["cfn-lint"] = [peers["cfn-lint"], *files]
        return result
    if "@wmfs/statelint" in peers:
        result["@wmfs/statelint"] = [peers["@wmfs/statelint"], *files]
    if "asl-validator" in peers:
        result["asl-validator"] = [peers["asl-validator"], *[arg for f in files for arg in ("--json-path", f)]]
    if "statelint (PyPI)" in peers:
        result["statelint (PyPI)"] = [peers["statelint (PyPI)"], *files]
    return result


def scenario(title: str, tools: dict[str, list[str]], runs: int, rows: list, floor: bool = False,
             prime: list[str] | None = None) -> None:
    """Each tool `runs` times, interleaved (one run of each, then again), so that the
    machine's ups and downs fall on all of them alike: the ratios are paired."""
    if floor:
        tools = {**tools, "import floor (our stack)": FLOOR}
    if prime:
        measure(prime)  # fills a warm scenario's cache; not timed
    samples: dict[str, list] = {name: [] for name in tools}
    for _ in range(runs):
        for name, command in tools.items():
            samples[name].append(measure(command))
    figures = {name: summed(found) for name, found in samples.items()}
    peers = [name for name in figures if name not in ("asl-lint", "import floor (our stack)")]
    reference = figures.get("import floor (our stack)", {}).get("cpu") if floor else None
    ratio_peer = {kind: _paired_ratio(samples, min(peers, key=lambda name: figures[name][kind]), kind)
                  for kind in ("cpu", "wall")} if peers else None
    print(f"\n{title}")
    for name, f in figures.items():
        print(f"  {name:<26} cpu {f['cpu']:7.2f} s  wall {f['wall']:7.2f} s  peak {f['peak']:6.0f} MB  exit {f['status']}")
    if ratio_peer is not None:
        print(f"  asl-lint / fastest peer: cpu {ratio_peer['cpu']:.2f}x, wall {ratio_peer['wall']:.2f}x")
    if reference:
        print(f"  asl-lint / import floor (cpu): {figures['asl-lint']['cpu'] / reference:.2f}x")
    rows.append((title, figures, ratio_peer, reference))


def _paired_ratio(samples: dict[str, list], peer: str, kind: str) -> float:
    """The median of asl-lint's figure over the peer's, run by run (each run of asl-lint
    beside the peer's run of the same round): the machine's drift cancels out of each
    ratio, where a ratio of two medians can pair a slow run with a fast one."""
    import statistics

    column = 1 if kind == "cpu" else 0  # measure() gives (wall, cpu, peak, status)
    return statistics.median(ours[column] / theirs[column]
                             for ours, theirs in zip(samples["asl-lint"], samples[peer], strict=True))


def distinct_definitions(directory: Path, count: int, states: int, findings: bool = False) -> list[str]:
    """`count` definitions that differ (a Comment of their own), as repositories hold.
    `findings`: their Lambda Tasks have no Retry, so each has ASL406 findings, as real
    definitions often have (a run's cost per finding shows there)."""
    directory.mkdir(parents=True, exist_ok=True)
    shape = definition(states)
    if findings:
        for state in shape["States"].values():
            state.pop("Retry", None)
    found = []
    for index in range(count):
        path = directory / f"flow{index:05d}.asl.json"
        path.write_text(json.dumps({**shape, "Comment": f"flow {index}"}), encoding="utf-8")
        found.append(str(path))
    return found


def _repository(directory: Path, count: int) -> Path:
    """A generated repository: `count` small distinct definitions in 50 directories."""
    (directory / ".git").mkdir(parents=True, exist_ok=True)
    shape = definition(12)
    for index in range(count):
        folder = directory / f"service{index % 50:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"flow{index:05d}.asl.json").write_text(json.dumps({**shape, "Comment": f"flow {index}"}),
                                                          encoding="utf-8")
    return directory


def _files_of(directory: Path) -> list[str]:
    return sorted(str(path) for path in directory.rglob("*.asl.json"))


def _warm(tools: dict[str, list[str]], cache: Path) -> dict[str, list[str]]:
    """The same commands, asl-lint's with a result cache of its own (peers keep none)."""
    command = [part for part in tools["asl-lint"] if part != "--no-cache"]
    peers = {name: other for name, other in tools.items() if name not in SLOW_PEERS}
    return {**peers, "asl-lint": [*command[:3], "--cache-dir", str(cache), *command[3:]]}


def corpus_files() -> list[str]:
    if not (CORPUS / "MANIFEST.tsv").exists():
        return []
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8") as manifest:
        return [str(CORPUS / row["path"]) for row in csv.DictReader(manifest, delimiter="\t")
                if row["kind"] == "asl" and row["label"] == "valid" and row["path"].endswith(".json")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--only", help="run the scenarios whose title contains this text")
    parser.add_argument("--write", action="store_true", help="write the tables into benchmarks/results.md")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    peers = install_peers(args.cache)
    rows: list = []
    wanted = lambda title: not args.only or args.only.lower() in title.lower()  # noqa: E731
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        small = work / "small.asl.json"
        small.write_text(json.dumps(definition(10)), encoding="utf-8")
        if wanted("single small file"):
            scenario("single small file, one process", commands(peers, [str(small)]), args.runs, rows, floor=True)
        batch = distinct_definitions(work / "batch", 200, 50)
        if wanted("batch"):
            scenario("batch: 200 distinct definitions of 50 states, one invocation", commands(peers, batch),
                     args.runs, rows)
            scenario("batch with -j 1 (asl-lint alone)", {"asl-lint": [*ASL_LINT, "-j", "1", *batch]}, args.runs,
                     rows)
            warm = _warm(commands(peers, batch), work / "cache-batch")
            scenario("batch, warm: the same files again with the result cache", warm, args.runs, rows,
                     prime=warm["asl-lint"])
        findings = distinct_definitions(work / "findings", 200, 50, findings=True)
        if wanted("findings"):
            scenario("batch with findings: 200 definitions of 50 states, ASL406 on each", commands(peers, findings),
                     args.runs, rows)
            scenario("batch with findings, -j 2 (asl-lint alone)", {"asl-lint": [*ASL_LINT, "-j", "2", *findings]},
                     args.runs, rows)
        corpus = corpus_files()
        if corpus and wanted("corpus"):
            scenario(f"corpus: {len(corpus)} plain-ASL JSON files labelled valid", commands(peers, corpus),
                     args.runs, rows)
            distinct = list({Path(path).read_bytes(): path for path in corpus}.values())
            scenario(f"corpus, distinct contents: {len(distinct)} files", commands(peers, distinct), args.runs, rows)
            warm = _warm(commands(peers, corpus), work / "cache-corpus")
            scenario("corpus, warm: again with the result cache", warm, args.runs, rows, prime=warm["asl-lint"])
        if wanted("repository"):
            repository = _repository(work / "repository", 10_000)
            tools = {name: command for name, command in commands(peers, [str(repository)]).items()
                     if name not in SLOW_PEERS}
            tools = {name: command if name == "asl-lint" else [command[0], *_files_of(repository)]
                     for name, command in tools.items()}
            scenario("a repository of 10,000 files, cold", tools, args.runs, rows)
            warm = _warm({"asl-lint": tools["asl-lint"]}, work / "cache-repository")
            scenario("a repository of 10,000 files, warm (nothing changed)", {**tools, **warm},
                     max(1, args.runs // 2), rows, prime=warm["asl-lint"])
            for jobs in ("1", "2"):
                scenario(f"a repository of 10,000 files, cold, -j {jobs} (asl-lint alone)",
                         {"asl-lint": [*ASL_LINT, "-j", jobs, str(repository)]}, max(1, args.runs // 2), rows)
        for size in (1_000, 5_000, 20_000):
            path = work / f"scale{size}.asl.json"
            path.write_text(json.dumps(definition(size)), encoding="utf-8")
            if wanted("scale"):
                tools = commands(peers, [str(path)])
                scenario(f"scale: one definition of {size:,} states", tools, args.runs, rows)
        stack = work / "stack.template.json"
        stack.write_text(json.dumps(template(100, 30)), encoding="utf-8")
        if wanted("template"):
            scenario("a CloudFormation template with 100 state machines", commands(peers, [str(stack)], True),
                     args.runs, rows)
    if args.write:
        _write(rows)
    return 0


def _write(rows: list) -> None:
    lines = [f"Measured on {os.cpu_count()} cores with `python benchmarks/compare.py`: medians of the runs; each"
             " ratio is the median of the runs' ratios (CPU, wall) to the peer fastest in that column.", "", "| scenario | tool | CPU s | wall s | peak MB | exit |", "|---|---|---|---|---|---|"]
    for title, figures, ratio, floor in rows:
        for name, f in figures.items():
            lines.append(f"| {title} | {name} | {f['cpu']:.2f} | {f['wall']:.2f} | {f['peak']:.0f} | {f['status']} |")
        if ratio is not None:
            lines.append(f"| {title} | **asl-lint / fastest peer** | **{ratio['cpu']:.2f}x** | **{ratio['wall']:.2f}x**"
                         " | | |")
        if floor:
            lines.append(f"| {title} | **asl-lint / import floor** | **{figures['asl-lint']['cpu'] / floor:.2f}x** | | | |")
    results = HERE / "results.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    start, end = "<!-- compare:start -->", "<!-- compare:end -->"
    block = "\n".join([start, *lines, end])
    if start in text:
        text = text.split(start)[0] + block + text.split(end)[1]
    else:
        text += "\n## Side by side with the other validators\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
