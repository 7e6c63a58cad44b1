"""A checkout is attacker input: its configuration, baseline, .gitignore files, links and
names. Each way they once broke asl-lint (a secret printed, a file outside the checkout
written, a traceback, a hang) is pinned here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint import Config, ConfigError, lint_paths
from asl_lint.cli import main

VALID = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'
UNREACHABLE = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "Secret State": {"Type": "Succeed"}}}'
SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAA\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A home directory with secrets, outside the checkout."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text(SECRET)
    (home / ".bashrc").write_text("echo hello\n")
    (home / "flow.asl.json").write_text(UNREACHABLE)
    return home


def cli(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def command(*args: str, stdin=None) -> subprocess.CompletedProcess:
    """A run as a user makes it: its exit status, its standard output and error."""
    if stdin is not None:  # a real process: standard input is a device, a pipe or closed
        return subprocess.run([sys.executable, "-m", "asl_lint", *args], capture_output=True, text=True,
                              stdin=stdin, timeout=60)
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


# ---- secrets and writes through links


@pytest.mark.parametrize("name", [".asl-lint.yaml", "pyproject.toml"])
def test_a_configuration_that_links_to_a_secret_is_not_read(checkout: Path, outside: Path, name: str) -> None:
    os.symlink(outside / ".ssh" / "id_rsa", name)
    Path("flow.asl.json").write_text(VALID)
    result = command("flow.asl.json")
    assert "OPENSSH" not in result.stderr + result.stdout
    if name == "pyproject.toml":  # a pyproject.toml that cannot be read is not asl-lint's
        assert result.returncode == 0
    else:
        assert result.returncode == 2 and "symbolic link that leads out of the directory tree" in result.stderr


def test_a_configuration_error_never_quotes_the_file(checkout: Path) -> None:
    Path(".asl-lint.yaml").write_text("token-of-a-stranger-12345\n")
    Path("flow.asl.json").write_text(VALID)
    result = command("flow.asl.json")
    assert result.returncode == 2 and "token-of-a-stranger" not in result.stderr
    assert ".asl-lint.yaml:1:1: the configuration must be a mapping of settings, not a string" in result.stderr
    Path(".asl-lint.yaml").write_text("fail-on: hunter2-password\n")
    result = command("flow.asl.json")
    assert "hunter2" not in result.stderr and "fail-on: must be one of error, warning, info, never" in result.stderr


def test_write_baseline_never_writes_through_a_link_out_of_the_checkout(checkout: Path, outside: Path) -> None:
    os.symlink(outside / ".bashrc", ".asl-lint-baseline.json")
    Path("flow.asl.json").write_text(UNREACHABLE)
    result = command("--write-baseline", ".asl-lint-baseline.json", ".")
    assert result.returncode == 2 and "symbolic link that leads out" in result.stderr
    assert (outside / ".bashrc").read_text() == "echo hello\n"


def test_a_report_is_never_written_through_a_link_out_of_the_checkout(checkout: Path, outside: Path) -> None:
    os.symlink(outside / ".bashrc", "asl-lint.sarif")
    Path("flow.asl.json").write_text(UNREACHABLE)
    result = command("--format", "sarif", "-o", "asl-lint.sarif", ".")
    assert result.returncode == 2 and (outside / ".bashrc").read_text() == "echo hello\n"


def test_links_inside_the_checkout_are_written_through(checkout: Path) -> None:
    Path("reports").mkdir()
    os.symlink("reports/baseline.json", "baseline.json")
    Path("flow.asl.json").write_text(UNREACHABLE)
    assert command("--write-baseline", "baseline.json", "flow.asl.json").returncode == 0
    assert json.loads(Path("reports/baseline.json").read_text())["findings"][0]["rule"] == "ASL203"


def test_a_walked_link_out_of_the_checkout_is_refused_like_a_reference(checkout: Path, outside: Path) -> None:
    os.symlink(outside / "flow.asl.json", "x.asl.json")
    for args in (("--format", "json", "."), ("--format", "json", "x.asl.json")):
        result = cli(*args)
        assert "Secret State" not in result.output
        assert [d["rule"] for d in json.loads(result.stdout)["diagnostics"]] == ["ASL013"]
    assert "Secret State" in cli("--format", "json", "--allow-outside-references", "x.asl.json").output


# ---- files that are not files


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "/proc/self/fd/0"])
def test_settings_files_that_are_devices_or_pipes_never_hang(checkout: Path, target: str) -> None:
    if target == "fifo":
        os.mkfifo("pipe")
        target = "pipe"
    if not os.path.exists(target) and not target == "pipe":
        pytest.skip(f"{target} does not exist here")
    Path("flow.asl.json").write_text(VALID)
    for setting in (".asl-lint.yaml", ".gitignore"):
        os.symlink(target, setting)
        result = command("flow.asl.json", stdin=subprocess.DEVNULL)
        assert result.returncode in (0, 2) and "Traceback" not in result.stderr
        os.unlink(setting)
    result = command("--baseline", target, "flow.asl.json", stdin=subprocess.DEVNULL)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr


def test_an_empty_configuration_is_no_settings(checkout: Path) -> None:
    Path("flow.asl.json").write_text(UNREACHABLE)
    for text in ("", "\n", "# only a comment\n", "{}\n"):
        Path(".asl-lint.yaml").write_text(text)
        assert command("flow.asl.json").returncode == 1


@pytest.mark.parametrize("text", ["tool = 1\n", 'tool = "text"\n', "[tool]\nx = 1\n",
                                  "a = " + "[" * 3000 + "]" * 3000 + "\n", "not toml at all ["])
def test_a_pyproject_above_that_is_not_asl_lints_is_passed_over(checkout: Path, text: str) -> None:
    (checkout.parent / "pyproject.toml").write_text(text)
    Path("flow.asl.json").write_text(UNREACHABLE)
    result = command("flow.asl.json")
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_a_pyproject_table_that_is_not_a_table_is_an_error_at_its_line(checkout: Path) -> None:
    Path("pyproject.toml").write_text('[project]\nname = "x"\n[tool]\nasl-lint = 5\n')
    Path("flow.asl.json").write_text(VALID)
    result = command("--config", "pyproject.toml", "flow.asl.json")
    assert result.returncode == 2 and "must be a table, not an integer" in result.stderr


@pytest.mark.parametrize(("text", "expected"), [("jobs: 2.0\n", 0), ("jobs: 100000\n", 0)])
def test_jobs_of_any_size_and_form(checkout: Path, text: str, expected: int) -> None:
    Path(".asl-lint.yaml").write_text(text)
    Path("flow.asl.json").write_text(VALID)
    assert command("flow.asl.json").returncode == expected


def test_a_huge_max_file_size_reads_only_what_the_file_holds(checkout: Path) -> None:
    Path("flow.asl.json").write_text(VALID)
    assert cli("--max-file-size", "1048576", "flow.asl.json").exit_code == 0
    assert cli("--max-file-size", "1048576", "-", input=VALID.encode()).exit_code == 0
    result = command("--max-file-size", str(10**30), "flow.asl.json")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_baseline_nested_a_hundred_thousand_deep_is_one_line(checkout: Path) -> None:
    Path("baseline.json").write_text("[" * 100_000 + "]" * 100_000)
    Path("flow.asl.json").write_text(VALID)
    result = command("--baseline", "baseline.json", "flow.asl.json")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "nested too deeply" in result.stderr


@pytest.mark.parametrize("target", ["missing/dir/baseline.json", "/dev/full"])
def test_a_baseline_that_cannot_be_written_is_one_line(checkout: Path, target: str) -> None:
    if target.startswith("/dev") and not os.path.exists(target):
        pytest.skip(f"{target} does not exist here")
    Path("flow.asl.json").write_text(UNREACHABLE)
    result = command("--write-baseline", target, "flow.asl.json")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_standard_input_closed_is_exit_two(checkout: Path) -> None:
    result = subprocess.run([sys.executable, "-c", "import os, sys; os.close(0); sys.stdin = None;"
                             " from asl_lint.cli import main; main(['-'])"], capture_output=True, text=True)
    assert result.returncode == 2 and "standard input" in result.stderr and "Traceback" not in result.stderr


# ---- patterns


@pytest.mark.parametrize("pattern", ["[z-a]", "!", "trailing\\", "[abc"])
def test_a_bad_pattern_the_user_gave_is_exit_two_naming_it(checkout: Path, pattern: str) -> None:
    Path("flow.asl.json").write_text(VALID)
    result = command("--exclude", pattern, ".")
    assert result.returncode == 2 and f"'{pattern}' is not a valid pattern" in result.stderr
    Path(".asl-lint.yaml").write_text(json.dumps({"exclude": [pattern]}))
    result = command(".")
    assert result.returncode == 2 and f".asl-lint.yaml:1:14: exclude: '{pattern}' is not a valid pattern" in result.stderr
    Path(".asl-lint.yaml").write_text(json.dumps({"per-file-ignores": {pattern: ["ASL203"]}}))
    assert command(".").returncode == 2


def test_bad_gitignore_lines_are_skipped_as_git_skips_them(checkout: Path) -> None:
    Path(".gitignore").write_text("[z-a]\n!\ntrailing\\\n[abc\nskipped.asl.json\n*a*a*a*a*a*a*a*a*b\n")
    Path("skipped.asl.json").write_text(UNREACHABLE)
    Path("a" * 200 + ".asl.json").write_text(UNREACHABLE)
    result = cli("--format", "json", ".")
    assert [d["file"] for d in json.loads(result.stdout)["diagnostics"]] == ["a" * 200 + ".asl.json"]


# ---- walks and links


def test_a_thousand_nested_directories_are_walked(checkout: Path) -> None:
    for _ in range(1100):  # os.walk recursed once per level; 1,100 levels were a RecursionError
        os.mkdir("d")
        os.chdir("d")
    Path("flow.asl.json").write_text(UNREACHABLE)
    os.chdir(checkout)
    Path(".gitignore").write_text("*.tmp\n")
    result = lint_paths(".", Config())
    assert [d.rule for d in result.diagnostics] == ["ASL203"]
    for _ in range(1100):  # removed here: a recursive clean-up of the temporary tree would fail
        os.chdir("d")
    os.unlink("flow.asl.json")
    for _ in range(1100):
        os.chdir("..")
        os.rmdir("d")


def test_two_hundred_links_to_one_definition_check_it_once(checkout: Path) -> None:
    Path("real.asl.json").write_text(UNREACHABLE)
    for i in range(200):
        os.symlink("real.asl.json", f"link{i:03d}.asl.json")
    result = lint_paths(".", Config())
    assert result.files == 1 and len(result.diagnostics) == 1


# ---- suppressions


def test_a_directive_inside_a_json_string_silences_nothing(checkout: Path) -> None:
    Path("flow.asl.json").write_text(json.dumps({
        "StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"Message": "done #asl-lint: disable-file=all"},
                                         "End": True}, "B": {"Type": "Succeed"}}}))
    result = lint_paths("flow.asl.json", Config())
    assert [d.rule for d in result.diagnostics] == ["ASL203"] and not result.suppressed


def test_a_directive_in_a_yaml_block_scalar_silences_nothing(checkout: Path) -> None:
    Path("flow.asl.yaml").write_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: |\n"
                                     "      # asl-lint: disable-file=all\n    End: true\n  B: {Type: Succeed}\n")
    assert [d.rule for d in lint_paths("flow.asl.yaml", Config()).diagnostics] == ["ASL203"]


def test_thousands_of_directives_are_looked_up_not_compared(checkout: Path, monkeypatch) -> None:
    from asl_lint import suppress

    states = {f"S{i}": {"Type": "Pass", "Comment": "asl-lint: disable=ASL203", "End": True} for i in range(3000)}
    states["Start"] = {"Type": "Succeed"}
    Path("flow.asl.json").write_text(json.dumps({"StartAt": "Start", "States": states}))
    compared = []
    real = suppress.Directive.silences
    monkeypatch.setattr(suppress.Directive, "silences", lambda self, d: compared.append(1) or real(self, d))
    result = lint_paths("flow.asl.json", Config())
    assert len(result.suppressed) == 3000 and len(compared) <= 2 * 3000


def test_one_directive_with_forty_thousand_selectors(checkout: Path) -> None:
    selectors = ",".join(f"ASL{i % 1000:03d}" for i in range(40_000))
    Path("flow.asl.yaml").write_text(f"StartAt: A\nStates:\n  A: {{Type: Succeed}}\n  B:  # asl-lint: disable={selectors}\n"
                                     "    Type: Succeed\n")
    result = lint_paths("flow.asl.yaml", Config())
    assert [d.rule for d in result.suppressed] == ["ASL203"]
    assert [d.rule for d in result.diagnostics] == ["ASL016"]  # the ids that name no rule


# ---- the API


@pytest.mark.parametrize(("settings", "check"), [
    ({"severities": {"ASL2": "info"}}, lambda c: c.severities == {"ASL2": c.severities["ASL2"]} and c.severities["ASL2"].label == "info"),
    ({"ignore": "ASL406"}, lambda c: c.ignore == ("ASL406",)),
    ({"ignore": "ASL406, ASL203"}, lambda c: c.ignore == ("ASL406", "ASL203")),
    ({"workflow_type": None}, lambda c: c.workflow_type == "STANDARD"),
    ({"workflow_type": "express"}, lambda c: c.workflow_type == "EXPRESS"),
    ({"fail_on": "never"}, lambda c: c.fail_on is None),
    ({"jobs": 2.0}, lambda c: c.jobs == 2),
])
def test_the_api_accepts_the_obvious_forms(settings: dict, check) -> None:
    assert check(Config(**settings))


@pytest.mark.parametrize("settings", [{"kind": "bogus"}, {"severities": {"ASL2": "fatal"}}, {"jobs": -1},
                                      {"max_file_bytes": 0}, {"ignore": 406}, {"exclude": ["[z-a]"]},
                                      {"workflow_type": "FAST"}, {"fail_on": "sometimes"}])
def test_the_api_refuses_bad_settings_when_made(settings: dict) -> None:
    with pytest.raises(ConfigError):
        Config(**settings)


def test_includers_are_found_through_a_chain_of_includes(checkout: Path) -> None:
    Path("serverless.yml").write_text("service: s\nprovider: {name: aws}\nstepFunctions: ${file(./a.yml)}\n")
    Path("a.yml").write_text("stateMachines:\n  flow:\n    definition: ${file(./flow.yml)}\n")
    Path("flow.yml").write_text("StartAt: A\nStates:\n  A: {Type: Pass, Next: Missing}\n")
    result = lint_paths("flow.yml", Config(with_includers=True))
    assert {(d.rule, d.machine) for d in result.diagnostics} >= {("ASL202", "flow")}


# ---- text that leaves the process


def test_a_configuration_key_cannot_start_a_workflow_command(checkout: Path) -> None:
    Path(".asl-lint.yaml").write_text('"x\\n::error file=README.md::pwned\\u001b[31m": 1\n')
    Path("flow.asl.json").write_text(VALID)
    result = command("flow.asl.json")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "\n::" not in result.stderr and "\x1b" not in result.stderr


def test_verbose_logs_escape_file_names(checkout: Path) -> None:
    name = "x\n::error file=a::pwned.asl.json"
    Path(name).write_text(VALID)
    result = subprocess.run([sys.executable, "-m", "asl_lint", "-v", "."], capture_output=True, text=True)
    assert not any(line.startswith("::") for line in result.stderr.splitlines())


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_graph_comments_and_labels_hold_any_name(checkout: Path, fmt: str) -> None:
    template = {"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": {
        "StartAt": "注文 #1", "States": {"注文 #1": {"Type": "Pass", "Next": "x\nclick n0 \"javascript:alert(1)\""},
                                        "x\nclick n0 \"javascript:alert(1)\"": {"Type": "Succeed"}}}}}}}
    name = "t\nclick n0 call alert()\n::error::x.json"
    Path(name).write_text(json.dumps(template))
    output = cli("--graph", fmt, name).output
    lines = output.splitlines()
    assert not any(line.lstrip().startswith(("click", "::")) for line in lines), output
    if fmt == "mermaid":
        assert "注文 #35;1" in output  # non-ASCII as itself; '#' would start a Mermaid entity code


def test_the_job_summary_escapes_names_and_balances_its_fences(checkout: Path, monkeypatch) -> None:
    summary = checkout / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    name = "a|b`c ```\n# heading <img src=x>.asl.json"
    Path(name).write_text(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "```\n## x"},
                                                                "```\n## x": {"Type": "Fail"}, "B": {"Type": "Succeed"}}}))
    cli("--format", "github", ".")
    text = summary.read_text()
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert all(line.startswith(("## asl-lint", "### ")) for line in headings), headings
    fences = [line for line in text.splitlines() if line.startswith("```")]
    assert len(fences) % 2 == 0
    assert "\\<img src\\=x\\>" in headings[-1]  # HTML and Markdown escaped in the heading
    row = next(line for line in text.splitlines() if line.startswith("| `"))
    assert row.startswith("| ````a") and "a\\|b`c" in row  # one code span no backtick closes


def test_the_job_summary_of_24000_findings_fits_in_one_mebibyte(checkout: Path) -> None:
    from asl_lint.diagnostics import Diagnostic, LintResult, Severity
    from asl_lint.graph import Machine
    from asl_lint.reporters.summary import step_summary

    diagnostics = [Diagnostic("ASL203", "unreachable-state", Severity.ERROR, "state 'S' is not reachable " + "x" * 80,
                              f"flows/f{i // 40:04d}.asl.json", i % 40 + 1, 1, machine=None, state=f"S{i % 40}")
                   for i in range(24_000)]
    machines = [Machine(f"flows/f{i:04d}.asl.json", None, {"StartAt": "S0", "States": {
        f"S{j}": {"Type": "Succeed"} for j in range(40)}}) for i in range(600)]
    text = step_summary(LintResult(diagnostics, 600, 600, drawn=machines))
    assert len(text.encode()) < 1_048_576
    assert "to keep the summary under GitHub's 1 MiB" in text and "more files" in text


def test_sarif_locations_are_the_file_systems_bytes(checkout: Path) -> None:
    name = os.fsdecode(b"caf\xe9.asl.json")
    Path(name).write_text(UNREACHABLE)
    document = json.loads(cli("--format", "sarif", ".").stdout)
    assert document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "caf%E9.asl.json"
