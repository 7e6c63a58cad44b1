"""The library entry points: lint text or paths, get a LintResult. Nothing here prints."""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .diagnostics import Diagnostic, LintResult, printable
from .engine import ASL_NAMES, NOT_CAUGHT, FileReport, references_for
from .engine import lint_text as _lint_text
from .files import (STDIN, FileRefused, References, Trees, decode, git_work_tree, project_roots, read_file, text_digest,
                    too_large)
from .walk import Candidate, Exclusions, includers_by_target, iter_files

log = logging.getLogger(__name__)

def lint_file(path: str, config: Config, explicit: bool = True, stdin_data: bytes | None = None,
              problem: str | None = None, references: References | None = None,
              problem_rule: str = "ASL005", text: str | None = None) -> FileReport:
    """Lint one file (or - for standard input) into a FileReport; never raises. `text`:
    the file's text, when the caller read it already."""
    shown = printable((config.stdin_filename or "<stdin>") if path == STDIN else path)
    if problem is not None:
        return FileReport([_marker(problem_rule, shown, config, problem)])
    references = references or references_for(config)
    references.begin_file()
    report = _lint_one(path, shown, config, explicit, stdin_data, references, text)
    report.reads = sorted([path, stamp] for path, stamp in references.touched.items())
    report.listings = sorted([path, stamp] for path, stamp in references.listed.items())
    report.sources = {path: references.digests[real] for path in references.touched
                      if (real := os.path.realpath(path)) in references.digests}
    report.claims, report.deferred = dict(references.claimed), bool(references.deferred)
    return report


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
        return FileReport([_marker(refused.rule, shown, config, refused.message)])
    try:
        with _collector_paused():
            report = _lint_text(text, shown, config, explicit, config.kind, references)
        return _digest_into(report, text) if path != STDIN else report
    except NOT_CAUGHT:
        raise
    except BaseException as error:  # the last guard: one file's surprise must not end the run
        log.debug("linting %s failed", shown, exc_info=True)
        del text  # after a MemoryError, give the report room to be written
        message = f"asl-lint failed on this file: {type(error).__name__}: {str(error)[:200]}"
        return FileReport([_marker("ASL004", shown, config, printable(message))])


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


# About how long checking takes per byte of a file (a 50-state JSON definition of 7.6 KB
# takes 2.4 ms on one core), and how much work pays for a worker: starting one and
# sending it its files and reports back costs a tenth of a second of CPU, so below about
# a second of work per worker the run stays in this process.
SECONDS_PER_BYTE = 3e-7
SECONDS_PER_WORKER = 1.0


def _workers_for(files: list[Candidate]) -> int:
    """Worker processes for these files by the work they are (-j 0): one per second of
    estimated work, at most one per core."""
    total = 0
    for candidate in files:
        try:
            total += os.stat(candidate.path).st_size if candidate.path != STDIN else 0
        except OSError:
            continue
    return max(1, min(os.cpu_count() or 1, int(total * SECONDS_PER_BYTE / SECONDS_PER_WORKER)))


def lint_paths(paths: str | os.PathLike | Iterable[str | os.PathLike], config: Config | None = None,
               stdin_data: bytes | None = None, jobs: int = 0, overlay: dict[str, str] | None = None) -> LintResult:
    """Lint files and directories (one path or several; "-" is standard input, given as
    `stdin_data`); `jobs`: worker processes (0: one per core for large runs). Without a
    `config`, the project's configuration is read as the command line reads it (the first
    .asl-lint.yaml, .asl-lint.yml or pyproject.toml [tool.asl-lint] from here up).
    `overlay`: texts (by real path) read instead of the files (unsaved edits, fixes)."""
    paths = [os.fspath(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    config = config or project_config(paths)
    if config.reference_roots is None:
        config = dataclasses.replace(config, reference_roots=project_roots(paths, config.start))
    result = LintResult(rejected_by_aws=rejected_by_aws())
    aws_requests: list = []
    files, exclusions = plan(paths, config)
    result.found, result.excluded = len(files), exclusions.excluded_count
    cache = _open_cache(config, overlay, result)
    known = _cached(files, config, cache) if cache is not None and cache.entries else {}
    jobs = config.effective_jobs(jobs)
    misses = len(files) - len(known)
    workers = min(jobs, misses) if jobs else _workers_for([c for i, c in enumerate(files) if i not in known])
    if workers > 1 and stdin_data is None and not overlay:
        claims = {key: machine for _, hit_claims in known.values() for key, machine in hit_claims.items()}
        linted = iter(_lint_in_parallel([c for i, c in enumerate(files) if i not in known], config, workers, claims))
        reports = [known[i][0] if i in known else next(linted) for i in range(len(files))]
    else:
        reports = _lint_in_order(files, config, stdin_data, overlay, known)
    for index, report in enumerate(reports):
        if cache is not None and index not in known and report.digest:
            cache.put(cache.key_from(files[index].path, files[index].explicit), report)
        if report.digest and files[index].path != STDIN:
            result.sources[os.path.realpath(files[index].path)] = report.digest
        for path, digest in report.sources.items():
            result.sources.setdefault(os.path.realpath(path), digest)
        if report.skipped:
            continue
        result.files += 1
        result.machines += report.machines
        result.diagnostics.extend(report.diagnostics)
        result.suppressed.extend(report.suppressed)
        result.drawn.extend(report.drawn)
        result.checked.extend(report.checked)
        aws_requests.extend(report.aws_requests)
    _one_entry_per_machine(result)
    if cache is not None:
        cache.save()
        result.cached = cache.hits
    if aws_requests:
        from .aws_merge import with_aws_verdicts

        with_aws_verdicts(result, aws_requests, config)
    result.diagnostics = [d for d in _without_repeats(result.diagnostics) if not config.ignored_in(d.rule, d.file)]
    result.suppressed = _without_repeats(result.suppressed)
    if config.baseline:
        from .baseline import apply_baseline

        trees = Trees((*config.reference_roots, os.path.realpath(config.root or ".")), config.allow_outside_references)
        if config.baseline in config.named_files:
            trees = trees.with_directory_of(config.baseline)
        result.diagnostics, matched, unmatched = apply_baseline(config.baseline, result.diagnostics, trees)
        result.baseline = (matched, unmatched)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    result.suppressed.sort(key=Diagnostic.sort_key)
    return result


def rejected_by_aws() -> frozenset[str]:
    """The ids of the rules whose findings AWS refuses a definition for."""
    from .rules import load_rules

    return frozenset(rule.id for rule in load_rules() if rule.rejected_by_aws())


def _one_entry_per_machine(result: LintResult) -> None:
    """A definition file checked on its own and through a template that reads it is one
    state machine: the template's (with its name, substitutions and workflow type), and its
    findings are those of that check (on its own, a `${X}` the template fills in is unknown)."""
    through_templates = {os.path.realpath(c.file) for c in result.checked
                         if c.machine is not None and c.host is not None and c.file.startswith("<") is False
                         and os.path.realpath(c.host) != os.path.realpath(c.file)}
    if not through_templates:
        return
    alone = [c for c in result.checked if c.machine is None and not c.file.startswith("<")
             and os.path.realpath(c.file) in through_templates]
    if alone:
        result.checked = [c for c in result.checked if c not in alone]
        result.machines -= len(alone)
        result.diagnostics = [d for d in result.diagnostics if d.machine is not None or d.rule.startswith("ASL0")
                              or d.file.startswith("<") or os.path.realpath(d.file) not in through_templates]


def plan(paths: list[str], config: Config, passed_over: list | None = None) -> tuple[list[Candidate], Exclusions]:
    """The files a run checks: those named, the walked ones not excluded, and (with
    includers) the project's files that include a named one. `passed_over`: a list that
    gets each path left out while walking, and why (--show-files)."""
    exclusions = Exclusions(config.exclusion_patterns, config.root, config.respect_gitignore, config.force_exclude,
                            Trees(config.reference_roots, config.allow_outside_references))
    exclusions.passed_over = passed_over
    files = list(iter_files(paths, exclusions))
    if config.with_includers:
        named = [c.path for c in files if c.explicit and c.path != STDIN]
        known = {os.path.realpath(c.path) for c in files}
        start = config.start or os.getcwd()
        project = git_work_tree(start) or start
        found = includers_by_target(named, project, exclusions, config.max_file_bytes, includes_of(config))
        if config.hook is not None:
            files = _owned_by_hook(files, found, config.hook, passed_over)
        for includers in found.values() if config.hook != "definitions" else ():
            for path in includers:
                if os.path.realpath(path) not in known:
                    known.add(os.path.realpath(path))
                    files.append(Candidate(_relative(path), False))
                    if passed_over is not None:
                        passed_over.append((_relative(path), "checked: it includes a named file (--with-includers)"))
    return files, exclusions


def _owned_by_hook(files: list[Candidate], includers: dict[str, list[str]], hook: str,
                   passed_over: list | None) -> list[Candidate]:
    """The files one of the two pre-commit hooks checks, so that nothing is reported by
    both when a commit holds a definition file and the template that reads it: the
    templates hook owns every named definition file a template of the project reads (it
    is checked through that template, with its substitutions), the definitions hook every
    other named definition file (checked alone)."""
    kept = []
    for candidate in files:
        if not (candidate.explicit and candidate.path.lower().endswith(ASL_NAMES)):
            kept.append(candidate)
            continue
        read_by_template = bool(includers.get(os.path.realpath(candidate.path)))
        if hook == "definitions" and not read_by_template:
            kept.append(candidate)
        elif passed_over is not None:
            owner = "asl-lint-templates, through the template that reads it" if read_by_template \
                else "asl-lint, since no template reads it"
            if hook == "definitions" or not read_by_template:
                passed_over.append((candidate.path, f"left to the other pre-commit hook: {owner}"))
    return kept


MAX_FIX_ROUNDS = 10  # a fix may make another possible (or show it): check again, this often


@dataclass
class FixOutcome:
    """What fixing did: the check of the fixed texts, each changed file's text before and
    after (by the name diagnostics give it) and how many fixes each holds, how many fixes
    were made, and the files left alone because they changed while they were checked."""

    result: LintResult
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    fixed: int = 0
    stdin_text: str | None = None  # standard input, fixed
    counts: dict[str, int] = field(default_factory=dict)
    not_fixed: list[str] = field(default_factory=list)  # "file: why", one line each


def fix_paths(paths: str | os.PathLike | Iterable[str | os.PathLike], config: Config | None = None,
              unsafe: bool = False, stdin_data: bytes | None = None, jobs: int = 0,
              rules: Iterable[str] | None = None) -> FixOutcome:
    """Lint, carry out the fixes of what is found (the safe ones, or all with `unsafe`) in
    memory, and lint again until nothing more is fixed. Writes nothing: the caller writes
    `changed` (write_fixes) or shows it (--diff). The edits are made to the very text that
    was checked: a file saved since (an editor, a formatter) is left alone and named in
    `not_fixed`. A file is changed only while it still reads (parses) after the edits.
    `rules`: fix only what these rules found."""
    from .fixes import compatible

    paths = [os.fspath(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    config = config or project_config(paths)
    if config.reference_roots is None:
        config = dataclasses.replace(config, reference_roots=project_roots(paths, config.start))
    stdin_name = printable(config.stdin_filename or "<stdin>")
    stdin_text = decode(stdin_data) if stdin_data is not None else None
    overlay: dict[str, str] = {}  # real path -> fixed text
    before: dict[str, tuple[str, str]] = {}  # real path -> (name as shown, original text)
    counts: dict[str, int] = {}  # real path -> fixes made in it
    outcome = FixOutcome(lint_paths(paths, config, stdin_data, jobs))
    trees = Trees(config.reference_roots, config.allow_outside_references)
    for _ in range(MAX_FIX_ROUNDS):
        by_file: dict[str, list] = {}
        for diagnostic in outcome.result.diagnostics:
            if diagnostic.fix is not None and (diagnostic.fix.safe or unsafe) and (
                    rules is None or diagnostic.rule in rules):
                by_file.setdefault(diagnostic.file, []).append(diagnostic.fix)
        made = 0
        for file, fixes in by_file.items():
            is_stdin = "-" in paths and file == stdin_name
            real = None if is_stdin else os.path.realpath(file)
            if is_stdin:
                text = stdin_text
            elif real in overlay:
                text = overlay[real]
            else:
                try:
                    text = read_file(file, config.max_file_bytes, trees)
                except FileRefused:
                    continue
                if text_digest(text) != outcome.result.sources.get(real):
                    outcome.not_fixed.append(f"{file}: not fixed: it changed while it was checked (run again)")
                    continue
            fixed_text, count = _fixed(text, file if not is_stdin else (config.stdin_filename or "stdin.json"),
                                       compatible(fixes))
            if not count:
                continue
            made += count
            if is_stdin:
                stdin_text = fixed_text
            else:
                before.setdefault(real, (file, text))
                overlay[real] = fixed_text
                counts[real] = counts.get(real, 0) + count
        if not made:
            break
        outcome.fixed += made
        data = stdin_text.encode("utf-8") if stdin_text is not None else None
        outcome.result = lint_paths(paths, config, data, jobs, overlay)
    outcome.changed = {shown: (original, overlay[real]) for real, (shown, original) in before.items()
                       if overlay[real] != original}
    outcome.counts = {shown: counts[real] for real, (shown, original) in before.items() if overlay[real] != original}
    outcome.stdin_text = stdin_text
    return outcome


def write_fixes(outcome: FixOutcome, trees: Trees) -> list[str]:
    """Write each fixed file whole (a temporary file renamed over it, its mode and its
    byte-order mark kept), only inside `trees`' roots whatever lets asl-lint read outside
    them, and only while the file still holds exactly the text that was checked. Returns
    why each file that was not written was not ("file: not fixed: why")."""
    from .files import WriteRefused, read_bytes, write_atomically

    trees = Trees(trees.roots, False)
    refused = []
    for name, (original, after) in sorted(outcome.changed.items()):
        try:
            data = read_bytes(name, trees=trees)
            if decode(data) != original:
                refused.append(f"{name}: not fixed: it changed while it was checked (run again)")
                continue
            mark = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
            write_atomically(name, mark + after, trees)
        except (FileRefused, WriteRefused) as error:
            refused.append(f"{name}: not fixed: {error}")
        except OSError as error:
            refused.append(f"{name}: not fixed: {error.strerror or error}")
    return refused


def _fixed(text: str, file: str, fixes: list) -> tuple[str, int]:
    """`text` with `fixes` carried out, and how many: all of them when the result still
    reads, else each one that keeps it readable."""
    from .fixes import apply

    candidate = apply(text, [edit for fix in fixes for edit in fix.edits])
    if _reads(candidate, file):
        return candidate, len(fixes)
    count = 0
    for fix in sorted(fixes, key=lambda fix: -fix.edits[0].start):  # from the end: earlier offsets hold
        attempt = apply(text, fix.edits)
        if _reads(attempt, file):
            text, count = attempt, count + 1
    return text, count


def _reads(text: str, file: str) -> bool:
    """Whether a file's text still parses as what it is."""
    from .source import LoadError, load_documents

    try:
        load_documents(text, file)  # by its name: JSON, YAML, HCL or a templatefile() template
    except (LoadError, RecursionError, ValueError):
        return False
    return True


def _open_cache(config: Config, overlay, result: LintResult) -> object | None:
    """The result cache of this run, or None: off, asked for none, texts not on disk, or a
    directory that is not asl-lint's to use (said in the result's warnings)."""
    if not config.cache or overlay or config.aws_validate != "off":
        return None
    from .cache import CacheRefused, ResultCache

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
        try:
            text = read_file(candidate.path, config.max_file_bytes, trees)
        except FileRefused:
            continue
        found = cache.get(cache.key_from(candidate.path, candidate.explicit), text_digest(text))
        if found is not None:
            known[index] = found
    return known


def _lint_in_order(files: list[Candidate], config: Config, stdin_data: bytes | None, overlay, known: dict):
    """Each file's report in turn, the cached ones among them: a shared definition is
    reported by the file that checked it first, as in a run without the cache."""
    references = references_for(config, overlay)
    for index, candidate in enumerate(files):
        if index in known:
            report, claims = known[index]
            references.replay(claims)
            yield report
        else:
            yield lint_file(candidate.path, config, candidate.explicit, stdin_data, candidate.problem, references,
                            candidate.rule)


def project_config(paths: list[str] | None = None, start: str | None = None) -> Config:
    """The configuration the command line would use in `start` (else the current
    directory): the first configuration file from there up, over the defaults; raises
    ConfigError."""
    from .config import config_from_file, find_config_file

    start = os.path.abspath(start or os.getcwd())
    trees = Trees.of([p for p in paths or () if p != STDIN and os.path.exists(p)])
    found = find_config_file(start, trees)
    defaults = Config(root=start, start=start)
    return config_from_file(found, defaults, trees) if found else defaults


def _relative(path: str) -> str:
    """A path found by asl-lint (absolute), shown relative to the current directory as
    the user's are; a name, not a resolution: it reads the same file wherever the run is."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path


def lint_text(text: str, filename: str = "<text>", config: Config | None = None) -> LintResult:
    """Lint a text as if it were the file `filename` (its name decides its format and
    kind; files it references are read relative to it). Without a `config`, the project's
    configuration is read as the command line reads it."""
    config = config or project_config([filename])
    report = _lint_text(text, printable(filename), config, True, config.kind)
    result = LintResult(rejected_by_aws=rejected_by_aws(), files=0 if report.skipped else 1, machines=report.machines,
                        suppressed=sorted(report.suppressed, key=Diagnostic.sort_key), checked=report.checked)
    result.diagnostics = sorted((d for d in report.diagnostics if not config.ignored_in(d.rule, d.file)),
                                key=Diagnostic.sort_key)
    return result


def includes_of(config: Config):
    """The real paths of the files a file includes, found by extracting its machines; the
    files they read are read once for all the files asked about."""
    from .extract import extract_definitions
    from .source import LoadError, load_documents

    references = references_for(config)

    def includes(path: str, text: str) -> set[str]:
        references.begin_file()
        try:
            for document in load_documents(text, path):
                extract_definitions(document, path, config.kind, references)
        except (LoadError, RecursionError, ValueError):
            return set()
        return {os.path.realpath(read) for read in references.touched}

    return includes


def _lint_in_parallel(files: list[Candidate], config: Config, workers: int,
                      claims: dict | None = None) -> list[FileReport]:
    """Files spread over `workers` processes; a file whose worker dies (the out-of-memory
    killer, a crash in a compiled extension) is reported as ASL004 and the rest go on."""
    from functools import partial

    from .workers import run_parallel

    _warm_up(files, config)  # forked workers inherit what is loaded now instead of loading it each
    gc.freeze()  # what the workers inherit stays out of their collections: no copy-on-write churn
    size = max(1, len(files) // (workers * 4))
    return run_parallel(files, partial(_lint_candidate, config=config, claims=claims or {}), workers,
                        partial(_died_on, config=config), size)


def _died_on(candidate: Candidate, config: Config) -> FileReport:
    message = "the worker process checking this file stopped (out of memory?); run with -j 1 to see more"
    return FileReport([_marker("ASL004", printable(candidate.path), config, message)])


def _warm_up(files: list[Candidate], config: Config) -> None:
    """Load the rules, the graph library and the compiled schema before the workers start:
    lint the first file here (its report is computed again in a worker, which is cheap)."""
    first = next((c for c in files if c.problem is None), None)
    if first is not None:
        lint_file(first.path, config, first.explicit, None, None, references_for(config))


_worker_references: tuple[int, References] | None = None


def _lint_candidate(candidate: Candidate, config: Config, claims: dict) -> FileReport:
    """One file in a worker; the files it references are read once per worker and config."""
    global _worker_references
    if _worker_references is None or _worker_references[0] != id(config):
        _worker_references = (id(config), references_for(config))
        _worker_references[1].replay(claims)
    return lint_file(candidate.path, config, candidate.explicit, None, candidate.problem, _worker_references[1],
                     candidate.rule)


def _without_repeats(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One report per problem: a definition file linted on its own and again through the
    template that references it gives the same diagnostic twice, perhaps under two
    spellings of its path (../shared/x.json named, /work/shared/x.json referenced); keep
    the one naming the state machine."""
    same_file: dict[str, str] = {}
    best: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        if d.file not in same_file:
            same_file[d.file] = d.file if d.file.startswith("<") else os.path.realpath(d.file)
        key = (same_file[d.file], d.line, d.column, d.rule, d.message)
        if key not in best or (best[key].machine is None and d.machine is not None):
            best[key] = d
    return list(best.values())


def _marker(rule_id: str, path: str, config: Config, message: str) -> Diagnostic:
    from .rules import load_rules

    rule = load_rules().get(rule_id)
    assert rule is not None
    return Diagnostic(rule.id, rule.name, config.severity_of(rule), message, path)
