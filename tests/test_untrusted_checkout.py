"""What asl-lint writes, deletes and trusts when the checkout, the editor or the disk
works against it: the cache never deletes what it did not write, --fix never writes
over a file saved meanwhile, reports are whole or absent, and a stale or planted
cache entry is never served."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint import cache as result_cache, files
from asl_lint.run import fix as run_fix
from asl_lint.api import fix_paths, lint_paths, write_fixes
from asl_lint.cli import main
from asl_lint.config import Config, config_from_file
from asl_lint.files import Trees

VALID = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}\n'
BROKEN = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}\n'
DEPRECATED = """{
  "StartAt": "M",
  "States": {
    "M": {
      "Type": "Map",
      "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
      "End": true
    }
  }
}
"""
TEMPLATE = """Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: %s
"""


pytestmark = pytest.mark.usefixtures("private_user_cache")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def rules_of(output: str) -> list[str]:
    return [d["rule"] for d in json.loads(output)["diagnostics"]]


# ---- the cache never deletes or writes what is not its own


def test_a_directory_of_definitions_given_as_the_cache_loses_nothing(checkout: Path, monkeypatch) -> None:
    flows = checkout / "flows"
    flows.mkdir()
    for number in range(12):
        (flows / f"flow{number:02}.json").write_text(VALID.replace('"A"', f'"S{number}"'), encoding="utf-8")
    before = {path.name: path.read_text(encoding="utf-8") for path in flows.iterdir()}
    for way in (("--cache-dir", "flows"), ("env",)):
        if way == ("env",):
            monkeypatch.setenv("ASL_LINT_CACHE_DIR", "flows")
        for select in ("ALL", "ASL2", "ASL3", "ASL4", "ASL5", "ASL6", "ASL1", "ASL20", "ASL30", "ASL40"):
            result = run(*way[:2 if way[0] != "env" else 0], "--select", select, "flows")
            assert result.exit_code == 0
        assert "not asl-lint's cache" in result.stderr
    assert {path.name: path.read_text(encoding="utf-8") for path in flows.iterdir()} == before


def test_pruning_removes_only_buckets_in_a_directory_marked_as_the_cache(checkout: Path) -> None:
    (checkout / "flow.asl.json").write_text(VALID, encoding="utf-8")
    run("flow.asl.json")
    cache_dir = checkout / ".asl_lint_cache"
    planted = cache_dir / "notes.json"
    planted.write_text("{}", encoding="utf-8")
    lookalike = cache_dir / ("0" * 24 + ".json.bak")
    lookalike.write_text("{}", encoding="utf-8")
    for select in ("ASL1", "ASL2", "ASL3", "ASL4", "ASL5", "ASL6", "ASL20", "ASL30", "ASL40", "ASL50", "ASL60"):
        run("--select", select, "flow.asl.json")
    buckets = [p for p in cache_dir.iterdir() if result_cache.BUCKET_NAME.fullmatch(p.name)]
    assert len(buckets) == result_cache.MAX_BUCKETS
    assert planted.exists() and lookalike.exists()


def test_a_projects_configuration_cannot_put_the_cache_outside_it(checkout: Path) -> None:
    victim = checkout.parent / "victim"
    victim.mkdir()
    (victim / "keep.json").write_text("{}", encoding="utf-8")
    (checkout / ".asl-lint.yaml").write_text("cache-dir: ../victim\n", encoding="utf-8")
    (checkout / "flow.asl.json").write_text(VALID, encoding="utf-8")
    result = run("flow.asl.json")
    assert result.exit_code == 0
    assert ".asl-lint.yaml:1:1: cache-dir leads out of the project" in result.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["keep.json"]
    assert (checkout / ".asl_lint_cache").is_dir()  # the project's own place instead


def test_a_configuration_outside_the_project_may_place_the_cache_and_allow_outside_reads(
        checkout: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(f"cache-dir: {tmp_path / 'my-cache'}\nallow-outside-references: true\n", encoding="utf-8")
    config = config_from_file(mine, Config(), Trees.of(["."]))
    assert config.allow_outside_references and config.cache_dir == str(tmp_path / "my-cache")
    assert config.notices == ()


def test_a_projects_configuration_cannot_allow_reading_outside_it(checkout: Path) -> None:
    secret = checkout.parent / "secret"
    secret.mkdir()
    (secret / "flow.json").write_text(
        '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "Private Name": {"Type": "Succeed"}}}')
    (checkout / ".asl-lint.yaml").write_text("allow-outside-references: true\n", encoding="utf-8")
    (checkout / "template.yaml").write_text(TEMPLATE % "../secret/flow.json", encoding="utf-8")
    result = run("--format", "json", "template.yaml")
    assert rules_of(result.stdout) == ["ASL013"] and "Private Name" not in result.stdout
    assert "allow-outside-references is not taken from the project's own configuration" in result.stderr
    allowed = run("--format", "json", "--allow-outside-references", "template.yaml")
    assert "Private Name" in allowed.stdout  # the user's own choice on the command line


# ---- --fix edits only the text it checked


def test_a_file_saved_while_it_was_checked_is_not_fixed(checkout: Path, monkeypatch) -> None:
    flow = checkout / "map.asl.json"
    flow.write_text(DEPRECATED, encoding="utf-8")
    saved = DEPRECATED.replace('  "StartAt": "M",\n', '  "Comment": "saved by an editor meanwhile",\n'
                                                     '  "StartAt": "M",\n')
    real_lint = run_fix.lint_paths

    def lint_then_save(*args, **kwargs):
        result = real_lint(*args, **kwargs)
        flow.write_text(saved, encoding="utf-8")  # the editor saves after the check read the file
        return result

    monkeypatch.setattr(run_fix, "lint_paths", lint_then_save)
    outcome = fix_paths(["map.asl.json"], Config(), jobs=1)
    assert outcome.changed == {} and outcome.fixed == 0
    assert outcome.not_fixed == ["map.asl.json: not fixed: it changed while it was checked (run again)"]
    assert flow.read_text(encoding="utf-8") == saved


def test_a_file_saved_after_the_fix_was_made_is_not_overwritten(checkout: Path) -> None:
    flow = checkout / "map.asl.json"
    flow.write_text(DEPRECATED, encoding="utf-8")
    outcome = fix_paths(["map.asl.json"], Config(), jobs=1)
    assert outcome.fixed == 1
    saved = DEPRECATED.replace('"States"', '"States" ')
    flow.write_text(saved, encoding="utf-8")
    refused = write_fixes(outcome, Trees.of(["."]))
    assert refused == ["map.asl.json: not fixed: it changed while it was checked (run again)"]
    assert flow.read_text(encoding="utf-8") == saved


def test_a_fix_not_written_is_not_reported_as_made(checkout: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.asl.json"
    outside.write_text(DEPRECATED, encoding="utf-8")
    (checkout / "template.yaml").write_text(TEMPLATE % outside, encoding="utf-8")
    result = run("--fix", "--allow-outside-references", "--fail-on", "warning", "template.yaml")
    assert outside.read_text(encoding="utf-8") == DEPRECATED
    assert "not fixed" in result.stderr
    assert "Fixed" not in result.stdout and "ASL621" in result.stdout and result.exit_code == 1


# ---- reports


def test_two_reports_to_one_file_are_refused(checkout: Path) -> None:
    (checkout / "flow.asl.json").write_text(VALID, encoding="utf-8")
    result = run("-o", "sarif:report.out", "-o", "junit:report.out", "flow.asl.json")
    assert result.exit_code == 2 and "two reports would be written to report.out" in result.stderr
    assert not (checkout / "report.out").exists()
    same = run("-o", "report.out", "-o", "sarif:./report.out", "flow.asl.json")
    assert same.exit_code == 2


def test_a_report_that_fails_to_be_written_leaves_the_last_one_whole(checkout: Path, monkeypatch) -> None:
    (checkout / "flow.asl.json").write_text(BROKEN, encoding="utf-8")
    assert run("--format", "json", "-o", "report.json", "flow.asl.json").exit_code == 1
    previous = (checkout / "report.json").read_text(encoding="utf-8")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    result = run("--format", "json", "-o", "report.json", "flow.asl.json")
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert (checkout / "report.json").read_text(encoding="utf-8") == previous
    assert not [p for p in checkout.iterdir() if p.name.startswith(".asl-lint-")]  # no temporary left


# ---- the cache serves nothing stale or planted


def test_a_referenced_file_saved_during_the_run_is_checked_again_next_time(checkout: Path, monkeypatch) -> None:
    (checkout / "flow.json").write_text(VALID, encoding="utf-8")
    (checkout / "template.yaml").write_text(TEMPLATE % "flow.json", encoding="utf-8")
    real_read = files.References.read

    def read_then_save(self, path):
        text = real_read(self, path)
        Path(path).write_text(BROKEN, encoding="utf-8")  # saved just after asl-lint read it
        return text

    monkeypatch.setattr(files.References, "read", read_then_save)
    assert rules_of(run("--format", "json", "template.yaml").stdout) == []
    monkeypatch.setattr(files.References, "read", real_read)
    assert "ASL202" in rules_of(run("--format", "json", "template.yaml").stdout)


def test_a_referenced_file_replaced_by_a_link_out_of_the_tree_is_checked_again(
        checkout: Path, tmp_path: Path) -> None:
    (checkout / "flow.json").write_text(VALID, encoding="utf-8")
    (checkout / "template.yaml").write_text(TEMPLATE % "flow.json", encoding="utf-8")
    assert rules_of(run("--format", "json", "template.yaml").stdout) == []
    outside = tmp_path / "flow.json"
    os.replace(checkout / "flow.json", outside)
    os.symlink(outside, checkout / "flow.json")
    os.utime(outside, ns=(os.stat(outside).st_atime_ns, os.stat(outside).st_mtime_ns))
    assert rules_of(run("--format", "json", "template.yaml").stdout) == ["ASL013"]


def test_a_planted_bucket_that_never_ends_is_not_read(checkout: Path) -> None:
    (checkout / "flow.asl.json").write_text(BROKEN, encoding="utf-8")
    run("flow.asl.json")
    cache_dir = checkout / ".asl_lint_cache"
    for bucket in [p for p in cache_dir.iterdir() if p.suffix == ".json"]:
        bucket.unlink()
        os.symlink("/dev/zero", bucket)
    result = run("--format", "json", "flow.asl.json")
    assert result.exit_code == 1 and "ASL202" in rules_of(result.stdout)


def test_a_file_edited_many_times_keeps_one_entry(checkout: Path) -> None:
    flow = checkout / "flow.asl.json"
    sizes = []
    for edit in range(20):
        states = ", ".join(f'"S{i}": {{"Type": "Pass", "Comment": "{edit} {"x" * 80}", "Next": "S{i + 1}"}}'
                           for i in range(200))
        flow.write_text('{"StartAt": "S0", "States": {%s, "S200": {"Type": "Succeed"}}}' % states, encoding="utf-8")
        run("flow.asl.json")
        bucket = next(p for p in (checkout / ".asl_lint_cache").iterdir() if p.suffix == ".json")
        sizes.append(bucket.stat().st_size)
        assert len(json.loads(bucket.read_bytes().split(b"\n", 1)[1])["entries"]) == 1
    assert max(sizes) < 2 * min(sizes)


def test_a_bucket_is_bounded_in_bytes(monkeypatch) -> None:
    monkeypatch.setattr(result_cache, "MAX_BUCKET_BYTES", 4096)
    entries = {f"key{number}": {"report": "x" * 500} for number in range(40)}
    body = result_cache._bounded_body(entries)
    kept = json.loads(body)["entries"]
    assert len(body) <= 4096 and "key39" in kept and "key0" not in kept


def test_includers_of_a_long_include_chain_are_found_in_linear_work(checkout: Path, monkeypatch) -> None:
    from asl_lint import walk

    length = 300
    (checkout / "serverless.yml").write_text(
        "service: s\nstepFunctions:\n  stateMachines:\n    flow:\n      definition: ${file(part0.yml)}\n")
    for number in range(length - 1):
        (checkout / f"part{number}.yml").write_text(f"${{file(part{number + 1}.yml)}}\n")
    (checkout / f"part{length - 1}.yml").write_text("StartAt: A\nStates:\n  A: {Type: Succeed}\n")
    resolved = []
    real_realpath = walk.os.path.realpath
    monkeypatch.setattr(walk.os.path, "realpath", lambda path: resolved.append(path) or real_realpath(path))
    found = walk.find_includers([f"part{length - 1}.yml"], str(checkout), walk.Exclusions((), str(checkout)),
                                1 << 20, lambda path, text: {real_realpath(str(checkout / f"part{length - 1}.yml"))})
    assert "serverless.yml" in {os.path.basename(path) for path in found}
    assert len(resolved) < 10 * length  # once per file and reference; a pass per link of the chain was quadratic


def test_unused_suppression_comments_share_one_line_table(checkout: Path, monkeypatch) -> None:
    from asl_lint import engine

    lines = ["StartAt: S0", "States:"]
    for number in range(300):
        lines += ["  # asl-lint: disable-next-line=ASL202",
                  f"  S{number}: {{Type: Pass, {'Next: S%d' % (number + 1) if number < 299 else 'End: true'}}}"]
    (checkout / "flow.asl.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = []
    real_index = engine.LineIndex
    monkeypatch.setattr(engine, "LineIndex", lambda text: tables.append(1) or real_index(text))
    result = lint_paths(["flow.asl.yaml"], Config())
    assert [d.rule for d in result.diagnostics].count("ASL016") == 300
    assert all(d.fix is not None for d in result.diagnostics if d.rule == "ASL016")
    assert len(tables) <= 1  # one per comment made 8,000 comments take a minute


def test_a_graph_of_a_name_with_a_lone_surrogate_is_written(checkout: Path) -> None:
    template = {"Resources": {"Flow\udcff": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "Definition": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}}}}}
    (checkout / "template.json").write_text(json.dumps(template), encoding="utf-8")
    for fmt in ("mermaid", "dot"):
        result = run("--graph", fmt, "-o", f"graph.{fmt}", "template.json")
        assert result.exit_code == 0, result.output
        assert "Flow\\udcff" in (checkout / f"graph.{fmt}").read_text(encoding="utf-8")
