"""files.real_paths: realpath per directory, the same answers as os.path.realpath."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asl_lint.files import project_roots, real_paths


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_real_paths_answer_as_realpath_through_links_of_directories_and_files(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.json").write_text("{}", encoding="utf-8")
    (tmp_path / "l").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "g.json").symlink_to(tmp_path / "a" / "b" / "f.json")
    (tmp_path / "a" / "rel").symlink_to("b")
    monkeypatch.chdir(tmp_path / "l")
    real = real_paths()
    asked = ["l/b/f.json", "l/b", "a/g.json", "l/../a/b", "l/", "a/b/", "l/rel/f.json", "nope/x", "l/nope",
             ".", "b/f.json", "rel", "/"]
    for path in asked:
        for spelled in (path, str(tmp_path / path)):
            assert real(spelled) == os.path.realpath(spelled), spelled


def test_project_roots_are_real_and_listed_once(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    files = [str(tmp_path / "x" / f"f{index}.json") for index in range(5)]
    roots = project_roots(files, str(tmp_path))
    assert roots == tuple(dict.fromkeys([os.path.realpath(tmp_path), os.path.realpath(tmp_path / "x")]))
