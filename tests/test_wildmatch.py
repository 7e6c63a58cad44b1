"""gitignore patterns: the same verdicts as git itself, in time linear in the name."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from asl_lint.wildmatch import PatternError, PatternList, compile_pattern


def excluded(patterns: list[str], path: str, is_dir: bool = False) -> bool:
    return PatternList.from_lines(patterns).excludes(tuple(path.split("/")), is_dir)


@pytest.mark.parametrize(("pattern", "path", "is_dir", "expected"), [
    ("*.json", "flows/x.json", False, True),
    ("build/", "build", True, True),
    ("build/", "build", False, False),
    ("build/", "build/deep/x.json", False, True),
    ("/top.json", "top.json", False, True),
    ("/top.json", "sub/top.json", False, False),
    ("a/**/b", "a/b", False, True),
    ("a/**/b", "a/x/y/b", False, True),
    ("a/**", "a", True, False),
    ("a/**", "a/x", False, True),
    ("**/foo", "foo", False, True),
    ("**/foo", "x/y/foo", False, True),
    ("f?o", "foo", False, True),
    ("f?o", "fo", False, False),
    ("*.[ch]", "main.c", False, True),
    ("[!a]x", "ax", False, False),
    ("[[:digit:]]*", "1abc", False, True),
    ("a\\*b", "a*b", False, True),
    ("a\\*b", "axb", False, False),
    ("\\#note", "#note", False, True),
    ("trailing\\ ", "trailing ", False, True),
    ("trailing   ", "trailing", False, True),
    ("a**b", "a-x-b", False, True),
])
def test_patterns_match_as_git_reads_them(pattern: str, path: str, is_dir: bool, expected: bool) -> None:
    assert excluded([pattern], path, is_dir) is expected


def test_the_last_matching_pattern_decides_but_an_excluded_directory_stays_excluded() -> None:
    assert not excluded(["*.json", "!keep.json"], "keep.json")
    assert excluded(["*.json", "!keep.json", "keep.json"], "keep.json")
    assert excluded(["build/", "!build/keep.json"], "build/keep.json")


@pytest.mark.parametrize("line", ["foo\\", "!", "[abc", "[[:nope:]]x", "/"])
def test_lines_git_never_matches_are_skipped_in_a_gitignore(line: str) -> None:
    assert PatternList.from_lines([line, "*.yaml"]).pattern(-1).text == "*.yaml"
    assert len(PatternList.from_lines([line]).patterns) == 0


@pytest.mark.parametrize("line", ["foo\\", "!", "[abc", "[z-a]", "[[:nope:]]x"])
def test_invalid_patterns_the_user_gave_are_an_error_naming_them(line: str) -> None:
    with pytest.raises(PatternError, match="is not a valid pattern"):
        PatternList.from_lines([line], strict=True)


def test_a_reversed_range_matches_nothing_as_in_git() -> None:
    assert excluded(["[z-a0]x"], "0x")
    assert not excluded(["[z-a0]x"], "bx")
    assert compile_pattern("[z-a]") is not None


@pytest.mark.parametrize("pattern", ["*a*a*a*a*a*a*b", "**/*a*a*a*a*a*a*a*b/**", "?*?*?*?*?*?*?*b", "[a]*[a]*[a]*[a]*c"])
def test_every_regular_expression_the_matcher_runs_has_a_fixed_width(pattern: str) -> None:
    # Fixed width: no quantifier, so a search is at most the name's length times the
    # chunk's, and each chunk is searched once per name: no backtracking between them.
    try:
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10 calls it sre_parse
        import sre_parse as _parser  # type: ignore[no-redef]

    compiled = compile_pattern(pattern)
    for segment in compiled.segments:
        for chunk, length in zip(segment.chunks, segment.lengths):
            assert len(chunk) == length if isinstance(chunk, str) else \
                _parser.parse(chunk.pattern).getwidth() == (length, length)


@pytest.mark.parametrize("pattern", ["*a*a*a*a*a*a*b", "*[a]*[a]*?*[a]*b"])
def test_each_chunk_is_searched_once_per_name(pattern: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from asl_lint import wildmatch

    segment = compile_pattern(pattern).segments[0]
    calls = []
    for name in ("_at", "_after"):
        real = getattr(wildmatch, name)
        monkeypatch.setattr(wildmatch, name, lambda *args, real=real: calls.append(1) or real(*args))
    assert not segment.matches("a" * 20_000 + "c")
    assert len(calls) <= len(segment.chunks)


def test_long_lists_are_looked_up_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    from asl_lint import wildmatch

    lines = [f"generated-{i}.json" for i in range(15_000)] + [f"*.ext{i}" for i in range(15_000)]
    lines += [f"dir{i}/*a*b{i}" for i in range(15_000)]
    names = PatternList.from_lines(lines)
    tried = []
    real = wildmatch.Pattern.matches
    monkeypatch.setattr(wildmatch.Pattern, "matches", lambda self, *a: tried.append(self.text) or real(self, *a))
    assert not names.excludes(("dir7", "file1.json"), False)
    assert names.excludes(("generated-14999.json",), False)
    assert names.excludes(("x.ext3",), False)
    assert names.excludes(("dir7", "xab7"), False)
    assert len(tried) < 10, tried


_PIECES = ["a", "b", "ab", "*", "?", "[ab]", "[!a]", "**", "x"]


def _random_pattern(rng: random.Random) -> str:
    segments = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 3))]
    pattern = "/".join(segments)
    if rng.random() < 0.2:
        pattern = "/" + pattern
    if rng.random() < 0.2:
        pattern += "/"
    if rng.random() < 0.2:
        pattern = "!" + pattern
    return pattern


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_random_patterns_give_git_check_ignores_verdicts(tmp_path: Path) -> None:
    rng = random.Random(1234)
    names = ["a", "b", "ab", "ba", "x", "aab", "bx", "xa"]
    for trial in range(30):
        root = tmp_path / f"t{trial}"
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        paths: dict[str, bool] = {}
        for _ in range(25):
            parts = [rng.choice(names) for _ in range(rng.randint(1, 4))]
            for depth in range(1, len(parts)):
                prefix = "/".join(parts[:depth])
                if paths.get(prefix) is False:
                    break
                paths[prefix] = True
            else:
                path = "/".join(parts)
                if path not in paths:
                    paths[path] = False
        for path, is_dir in sorted(paths.items()):
            target = root / path
            if is_dir:
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.touch()
        patterns = [_random_pattern(rng) for _ in range(rng.randint(1, 6))]
        (root / ".gitignore").write_text("\n".join(patterns) + "\n")
        given = sorted(paths)
        out = subprocess.run(["git", "check-ignore", "--no-index", "-v", "-n", "--stdin"], cwd=root,
                             input="\n".join(given) + "\n", capture_output=True, text=True).stdout
        listed = PatternList.from_lines(patterns)
        for line in out.splitlines():
            source, _, path = line.partition("\t")
            pattern = source.split(":", 2)[2] if source != "::" else None
            git_says = pattern is not None and not pattern.startswith("!")
            assert listed.excludes(tuple(path.split("/")), paths[path]) is git_says, (patterns, path, source)


PLAIN_LINES = ["build", "build/", "/out", "/out/", "dist/x/y", "*.pyc", "**.log", "/a/**/b", "a/b*/c", "a**/b",
               "node_modules/", "*.tar.gz", "docs/*.md", "x*", "*", "/a/b/", "a/"]


@pytest.mark.parametrize("path", ["build", "out", "x/out", "dist/x/y", "a/b/c.pyc", "z.log", "a/q/b", "a/bz/c",
                                  "ab", "a/b", "node_modules/pkg/x.json", "f.tar.gz", "docs/r.md", "xylo",
                                  "docs/sub/r.md", "q/a/b"])
@pytest.mark.parametrize("is_dir", [False, True])
def test_a_gitignore_read_lazily_decides_as_one_compiled_at_once(path: str, is_dir: bool) -> None:
    eager = PatternList()
    for line in PLAIN_LINES:
        eager.add(compile_pattern(line))
    lazy = PatternList.from_lines(PLAIN_LINES)
    parts = tuple(path.split("/"))
    assert lazy.excludes(parts, is_dir) == eager.excludes(parts, is_dir)
    for size in range(1, len(PLAIN_LINES)):
        assert PatternList.from_lines(PLAIN_LINES[:size]).decide(parts, is_dir) == \
            PatternList.from_lines(PLAIN_LINES[:size], strict=True).decide(parts, is_dir)


def test_a_long_generated_gitignore_is_not_compiled_line_by_line(monkeypatch) -> None:
    from asl_lint import wildmatch

    compiled = []
    real = wildmatch.compile_pattern
    monkeypatch.setattr(wildmatch, "compile_pattern", lambda *args, **kwargs: compiled.append(1) or real(*args,
                                                                                                          **kwargs))
    lines = [f"/out{number}/" if number % 3 == 0 else f"*.gen{number}" if number % 3 == 1 else f"cache-{number}/x"
             for number in range(45_000)]
    patterns = PatternList.from_lines(lines)
    assert patterns.decide(("out3",), True) and patterns.decide(("a", "f.gen4"), False)
    assert not patterns.decide(("flows", "order.asl.json"), False)
    assert len(compiled) < 10
