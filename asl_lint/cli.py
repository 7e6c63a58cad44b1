"""The asl-lint command: options in, a report and an exit status out."""

from __future__ import annotations

import io
import os
import re
import sys
from typing import NoReturn, TextIO

import click

from dataclasses import replace
from typing import TYPE_CHECKING

from .version import __version__
from .diagnostics import Severity, displayable

if TYPE_CHECKING:
    from .config import Config
from .limits import MAX_FILE_BYTES
from .logs import get_logger
from .reporters import FORMATS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(token.strip() for value in values for token in value.split(",") if token.strip())


def _severities(values: tuple[str, ...]) -> dict[str, Severity]:
    """RULES=LEVEL pairs; RULES takes every form --select takes (checked with the config)."""
    result = {}
    for value in _split(values):
        rule, sep, level = value.partition("=")
        if not sep or not rule.strip():
            raise click.BadParameter(f"'{value}': use RULES=error|warning|info", param_hint="--severity")
        try:
            result[rule.strip()] = Severity.parse(level)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--severity") from None
    return result


def _list_rules(output_format: str | None) -> None:
    import json

    from .rules import load_rules

    if output_format == "json":
        rules = [{"id": rule.id, "name": rule.name, "severity": rule.severity.label, "tags": list(rule.tags),
                  "summary": rule.summary(), "enabled_by_default": rule.enabled_by_default,
                  "aws_code": rule.aws_code, "aws_rejects": rule.rejected_by_aws()} for rule in load_rules()]
        click.echo(json.dumps({"version": 1, "rules": rules}, indent=2))
        return
    for rule in load_rules():
        click.echo(f"{rule.id}  {rule.name:<30} {rule.severity.label:<8} {rule.summary()}")


def _explain(token: str) -> None:
    from .rules import load_rules

    from .docs import rule_page

    rule = load_rules().get(token)
    if rule is None:
        raise click.BadParameter(f"no rule '{token}' (see --list-rules)", param_hint="--explain")
    click.echo(rule_page(rule), nl=False)  # the same text as the rule's page in docs/rules/


EPILOG = """\b
Exit status:
  0  nothing at or above --fail-on (default: error)
  1  at least one problem at or above --fail-on
  2  asl-lint could not run as asked: a bad option or configuration, a path that does
     not exist, a report that cannot be written

\b
Directories are walked for .json, .yaml, .yml, .asl, .template, .tf, .tftpl
and .tpl files (hidden directories, node_modules, --exclude and .gitignore'd
paths are skipped).
"""


class _NamedPath(click.Path):
    """A path to check, kept as given: click's Path looks at every one (stat and access),
    which a run of many files pays for twice. A missing path is a usage error below; an
    unreadable file is a finding when it is read."""

    def convert(self, value, param, ctx):
        return self.coerce_path_result(value)


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.argument("paths", nargs=-1, type=_NamedPath(allow_dash=True))
@click.option("--format", "--output-format", "output_format", type=click.Choice(FORMATS),
              help="Report format [default: text, or github inside GitHub Actions].")
@click.option("-o", "--output", "outputs", multiple=True, metavar="[FORMAT:]FILE",
              help="Write the report to FILE instead of standard output; FORMAT:FILE (repeatable) writes one more"
                   " report in that format, e.g. --format github -o sarif:asl-lint.sarif.")
@click.option("--require-machines", is_flag=True, default=None,
              help="Exit with status 1 when no state machine was checked (a gate that must check something).")
@click.option("--root", "sarif_root", type=click.Path(file_okay=False),
              help="The directory SARIF, GitHub and GitLab file paths are relative to [default: the git work tree or the"
                   " current directory].")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules: ids, names, id prefixes (ASL2), tags or ALL; comma-separated.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Add these rules to the selection.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (same forms as --select).")
@click.option("--severity", "severity_overrides", multiple=True, metavar="RULES=LEVEL",
              help="Change severities, e.g. ASL204=error or ASL5=info (same forms as --select).")
@click.option("--kind", type=click.Choice(["asl", "cloudformation", "serverless", "terraform"]),
              help="Read every file as this kind instead of recognising it by its content.")
@click.option("--type", "workflow_type", type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
              help="Workflow type of definitions whose template does not give one [default: STANDARD].")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Exit with status 1 when a problem at or above this severity is found [default: error].")
@click.option("--exit-zero", is_flag=True,
              help="Exit with status 0 even when problems are found (2 still means asl-lint could not run).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour in the text report: auto means a terminal, unless NO_COLOR or FORCE_COLOR say otherwise.")
@click.option("--graph", "graph_format", type=click.Choice(["mermaid", "dot"]),
              help="Draw each state machine (problem states highlighted) instead of the report.")
@click.option("-q", "--quiet", count=True,
              help="Text report: only the summary line (-q), or nothing at all for a clean run (-qq).")
@click.option("--statistics", is_flag=True, help="Text report: a count per rule instead of one line per problem.")
@click.option("--stdin-filename", metavar="PATH",
              help="Lint standard input as if it were this file: its kind, the files it references and its name.")
@click.option("-j", "--jobs", type=click.IntRange(min=0),
              help="Worker processes; 0 (the default) sizes them by the work, up to one per core.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Read settings from this file (.asl-lint.yaml or pyproject.toml) instead of looking for one.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--exclude", multiple=True, metavar="GLOBS",
              help="Do not walk into paths matching these gitwildmatch patterns (replaces the config's).")
@click.option("--extend-exclude", multiple=True, metavar="GLOBS", help="Also exclude these paths.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Skip files that .gitignore ignores inside a git work tree [default: respect].")
@click.option("--force-exclude", is_flag=True, default=None,
              help="Apply the exclusions to files named on the command line too (for pre-commit).")
@click.option("--skip-unrecognized", is_flag=True,
              help="Named files whose names say nothing (not *.asl.*, not a template) are skipped quietly"
                   " when they do not parse or hold no state machine, as walked files are.")
@click.option("--with-includers", is_flag=True,
              help="Also check the templates and serverless files of the project (the git work tree or the current"
                   " directory) that include the named files through DefinitionUri or ${file()}.")
@click.option("--pre-commit-hook", "hook", type=click.Choice(["definitions", "templates"]),
              help="Run as this pre-commit hook (with --with-includers): a definition file a template reads is"
                   " checked by the templates hook through the template, any other by the definitions hook, so the"
                   " two never report one finding twice.")
@click.option("--var-file", "var_files", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Terraform: read variable values from this tfvars file too (after terraform.tfvars and"
                   " *.auto.tfvars; repeatable, the last wins).")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="Terraform: the value of a variable, as terraform plan -var takes it (repeatable; over every"
                   " tfvars file).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Do not report the findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record every finding of this run in a baseline file and exit 0.")
@click.option("--max-file-size", type=click.IntRange(min=1, max=1 << 20), metavar="MIB",
              help=f"Do not read files larger than this many MiB (ASL012) [default: {MAX_FILE_BYTES >> 20}].")
@click.option("--allow-outside-references", is_flag=True, default=None,
              help="Read DefinitionUri and ${file()} files outside the directories being linted (ASL013).")
@click.option("--aws-validate", is_flag=False, flag_value="on", default=None, metavar="[=required]",
              callback=lambda ctx, param, value: _aws_mode(ctx, value),
              help="Also ask AWS's ValidateStateMachineDefinition for each definition (needs asl-lint[aws] and AWS"
                   " credentials); --aws-validate=required fails when AWS cannot be asked.")
@click.option("--fix", "apply_fixes", is_flag=True,
              help="Apply the safe fixes (with standard input: print the fixed text), then report what is left.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply (with --fix or --diff) or count the fixes that may change what a machine does.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the fixes as a unified diff instead of writing them; exit 1 when there is one.")
@click.option("--no-cache", is_flag=True, help="Check every file again, and keep no results for the next run.")
@click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Where the result cache is (default: .asl_lint_cache at the project's root; ASL_LINT_CACHE_DIR).")
@click.option("--show-settings", is_flag=True,
              help="Print the settings this run would use, and where each comes from, then exit.")
@click.option("--show-files", is_flag=True,
              help="Print the files this run would check, and the paths it passes over and why, then exit.")
@click.option("--watch", is_flag=True,
              help="Check again whenever a file under PATHS changes (Ctrl-C stops).")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", metavar="RULE", help="Show a rule's documentation and exit.")
@click.option("-v", "--verbose", is_flag=True, help="Log debugging detail (with tracebacks of rule crashes).")
@click.version_option(__version__, prog_name="asl-lint")
@click.pass_context
def main(ctx: click.Context, paths: tuple[str, ...], output_format: str | None, outputs: tuple[str, ...],
         color: str, graph_format: str | None, quiet: int, statistics: bool, list_rules: bool,
         explain: str | None, verbose: bool, write_baseline: str | None, sarif_root: str | None,
         exit_zero: bool, show_settings: bool, show_files: bool, watch: bool, **options) -> None:
    """Lint AWS Step Functions state machines in PATHS: Amazon States Language files,
    CloudFormation, SAM and CDK templates, Serverless Framework and Terraform files.

    PATHS are files, directories (walked for .json, .yaml, .yml, .asl, .template,
    .tf, .tftpl and .tpl files) or - for standard input; without any, the configuration's paths or the current
    directory. Settings come from the command line, then .asl-lint.yaml,
    .asl-lint.yml or [tool.asl-lint] in pyproject.toml (the first found from the current
    directory up), then the defaults.
    """
    if verbose:
        _log_safely()
    for standard in (sys.stdout, sys.stderr):  # a terminal or pipe that cannot show a character: escaped
        try:
            standard.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, io.UnsupportedOperation):
            pass
    # A short-lived run that builds many small objects and frees them together: the cyclic
    # collector's default (a pass every 700 allocations) costs a fifth of the time.
    import gc

    gc.set_threshold(100_000, 50, 100)
    if list_rules:
        _list_rules(output_format)
        ctx.exit(EXIT_OK)
    if explain:
        _explain(explain)
        ctx.exit(EXIT_OK)
    paths = (*paths, *ctx.meta.get("asl_lint_paths", ()))
    if options["stdin_filename"] and "-" not in paths:
        paths = (*paths, "-")  # as ruff and eslint do: --stdin-filename implies reading standard input

    from .api import lint_paths
    from .config import ConfigError
    from .files import Trees, WriteRefused
    from .reporters import REPORTERS

    trees = Trees.of(paths or (".",), bool(options["allow_outside_references"]))
    try:
        config = _configuration(options, trees)
        config.validate()
    except ConfigError as error:
        _fail(str(error))
    if not paths:  # as ruff does: the configuration's paths, or here
        paths = config.paths or (".",)
        trees = Trees.of(paths, config.allow_outside_references)
    if show_settings:
        _show_settings(config, options, ctx)
        ctx.exit(EXIT_OK)
    missing = [path for path in paths if path != "-" and not os.path.lexists(path)]
    if missing:  # a link that leads nowhere exists: it is reported when read (ASL005)
        _fail(f"{missing[0]}: no such file or directory")
    if config.source:
        get_logger("asl_lint").info("using the configuration in %s", config.source)
    for notice in config.notices:
        _warn(notice)
    if show_files:
        _show_files(paths, config)
        ctx.exit(EXIT_OK)
    if watch:
        from .watch import watch_and_rerun

        ctx.exit(watch_and_rerun(paths, [arg for arg in sys.argv[1:] if arg != "--watch"]))
    if config.aws_validate != "off":
        from .aws import boto3_installed

        if not boto3_installed():
            _fail("--aws-validate needs boto3: pip install 'asl-lint[aws]'")
    trees = Trees(trees.roots, config.allow_outside_references)
    if config.reference_roots is None:  # the same as the run would find again
        config = replace(config, reference_roots=trees.roots)
    main_output, extra_outputs = _outputs(outputs)
    # Opened before linting: a report that cannot be written fails at once.
    _distinct_outputs(main_output, extra_outputs)
    stream = _open_output(main_output, trees)
    extra_streams = [(fmt, target, _open_output(target, trees)) for fmt, target in extra_outputs]
    stdin_data = _read_stdin(config.max_file_bytes) if "-" in paths else None
    if write_baseline:
        config = replace(config, baseline=None)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY") if output_format in (None, "github") else None
    if graph_format or summary_file:
        config = replace(config, keep_machines=True if graph_format else "errors")
    gc.freeze()  # the modules loaded so far live as long as the run: no collection walks them
    fixing = options["apply_fixes"] or options["show_diff"]
    try:
        if fixing:
            from .api import fix_paths

            outcome = fix_paths(paths, config, options["unsafe_fixes"], stdin_data, config.jobs)
            result = outcome.result
        else:
            result = lint_paths(paths, config, stdin_data, config.jobs)
    except ConfigError as error:  # an unreadable baseline file
        _fail(str(error))
    result.unsafe_fixes = options["unsafe_fixes"]
    if options["show_diff"]:
        ctx.exit(_show_diff(outcome, stdin_data))
    if options["apply_fixes"]:
        result = _apply_fixes(outcome, trees, paths, config, stdin_data)
        if outcome.stdin_text is not None:  # as ruff does: the fixed text on standard output
            sys.stdout.write(outcome.stdin_text)
            sys.stdout.flush()
            if stream is sys.stdout:
                stream = sys.stderr
    if write_baseline:
        from .baseline import write_baseline_file

        try:
            count = write_baseline_file(write_baseline, result.diagnostics, trees)
        except WriteRefused as refused:
            _fail(str(refused))
        except OSError as error:
            _fail(f"cannot write the baseline to {write_baseline}: {error.strerror or error}")
        sys.stderr.write(displayable(f"asl-lint: wrote {count} findings to {write_baseline}") + "\n")
        ctx.exit(EXIT_OK)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    options_of_reports = dict(color=color, quiet=quiet, statistics=statistics, fail_on=config.fail_on,
                              root=sarif_root)
    target = main_output
    try:
        if graph_format:
            from .graph import render

            if not result.drawn:
                _warn("nothing to draw: no state machine was found in the paths given")
            stream.write(render(result.drawn, result.diagnostics, graph_format))
        else:
            REPORTERS[output_format](result, stream, **options_of_reports)
        if output_format == "github" and summary_file:
            from .reporters.summary import append_step_summary

            append_step_summary(summary_file, result)
        for fmt, target, extra in extra_streams:
            REPORTERS[fmt](result, extra, **{**options_of_reports, "color": "never"})
            extra.commit()
        target = main_output
        if isinstance(stream, _ReportFile):
            stream.commit()
        else:
            stream.flush()
    except WriteRefused as refused:
        _fail(str(refused))
    except OSError as error:
        _fail(f"cannot write the report to {target or 'standard output'}: {error.strerror or error}")
    for warning in result.warnings:
        _warn(warning)
    nothing = result.nothing_checked()
    if nothing is not None and not graph_format and quiet < 2:
        _warn(nothing)
    worst = result.worst()
    failed = config.fail_on is not None and worst is not None and worst >= config.fail_on
    if nothing is not None and config.require_machines:
        failed = True
    ctx.exit(EXIT_PROBLEMS if failed and not exit_zero else EXIT_OK)


_OPTION_OF = {"select": "--select", "extend_select": "--extend-select", "ignore": "--ignore",
              "severities": "--severity", "kind": "--kind", "workflow_type": "--type", "jobs": "--jobs",
              "exclude": "--exclude", "extend_exclude": "--extend-exclude", "respect_gitignore": "--respect-gitignore",
              "force_exclude": "--force-exclude", "skip_unrecognized": "--skip-unrecognized",
              "with_includers": "--with-includers", "baseline": "--baseline", "max_file_bytes": "--max-file-size",
              "allow_outside_references": "--allow-outside-references", "aws_validate": "--aws-validate",
              "require_machines": "--require-machines", "fail_on": "--fail-on", "cache": "--no-cache",
              "cache_dir": "--cache-dir", "stdin_filename": "--stdin-filename"}
_OPTION_VALUE = {"severities": "severity_overrides", "workflow_type": "workflow_type", "baseline": "baseline_file",
                 "max_file_bytes": "max_file_size", "cache": "no_cache"}


def _show_settings(config, options: dict, ctx: click.Context) -> None:
    """--show-settings: each setting, its value and where it comes from (the default, a
    line of the configuration file, the command line or the environment), as ruff does."""
    from dataclasses import fields

    from .config import setting_names, setting_sources
    from .files import Trees

    names = setting_names()
    from_file = setting_sources(config.source, Trees.of(["."])) if config.source else {}
    not_taken = {notice.split(": ", 2)[1].split(" ", 1)[0] for notice in config.notices}
    click.echo(f"# configuration file: {config.source or 'none'}")
    for member in fields(config):
        attribute = member.name
        if attribute not in names and attribute not in ("paths", "root"):
            continue
        value = getattr(config, attribute)
        if attribute == "max_file_bytes":
            value = value // (1024 * 1024)  # the configuration's unit: MiB
        given = options.get(_OPTION_VALUE.get(attribute, attribute))
        if attribute in _OPTION_OF and given not in (None, (), False):
            source = f"command line ({_OPTION_OF[attribute]})"
        elif attribute == "cache_dir" and os.environ.get("ASL_LINT_CACHE_DIR") and value == os.environ[
                "ASL_LINT_CACHE_DIR"]:
            source = "environment (ASL_LINT_CACHE_DIR)"
        elif attribute in from_file and names.get(attribute) not in not_taken:
            source = from_file[attribute]
        elif attribute == "root":
            source = "the configuration file's directory" if config.source else "the current directory"
        else:
            source = "default"
        click.echo(f"{names.get(attribute, attribute)} = {_shown_value(value)}  # {source}")
    for notice in config.notices:
        click.echo(f"# not taken: {displayable(notice)}")


def _shown_value(value) -> str:
    import json

    if isinstance(value, Severity):
        return value.label
    if isinstance(value, dict):
        return json.dumps({key: _shown_value(item) for key, item in value.items()})
    if isinstance(value, tuple):
        return json.dumps(list(value))
    return json.dumps(value) if value is None or isinstance(value, (bool, int, str)) else str(value)


def _show_files(paths: tuple[str, ...], config) -> None:
    """--show-files: each file the run would check (and why), then each path passed over
    while walking (and why)."""
    import dataclasses

    from .api import plan
    from .files import STDIN, project_roots

    if config.reference_roots is None:
        config = dataclasses.replace(config, reference_roots=project_roots(paths, config.start))
    passed_over: list = []
    files, _ = plan(list(paths), config, passed_over)
    added = {path: why for path, why in passed_over if why.startswith("checked")}
    for candidate in files:
        if candidate.path == STDIN:
            why = "standard input"
        elif candidate.problem is not None:
            why = f"reported: {candidate.problem}"
        else:
            why = added.get(candidate.path, "named on the command line" if candidate.explicit else "found by walking")
        click.echo(displayable(f"{candidate.path}  # {why}"))
    for path, why in passed_over:
        if not why.startswith("checked"):
            click.echo(displayable(f"{path}  # skipped: {why}"))


def _show_diff(outcome, stdin_data: bytes | None) -> int:
    """--diff: each change as a unified diff on standard output; 1 when there is one."""
    from .fixes import unified_diff

    changes = sorted(outcome.changed.items())
    if outcome.stdin_text is not None and stdin_data is not None:
        from .files import decode

        original = decode(stdin_data)
        if original != outcome.stdin_text:
            changes.append(("-", (original, outcome.stdin_text)))
    for name, (before, after) in changes:
        sys.stdout.write(unified_diff(name, before, after))
    count = outcome.fixed
    _note(f"{count} fix{'' if count == 1 else 'es'} in {len(changes)} file{'' if len(changes) == 1 else 's'}"
          " would be made (--fix writes them)" if changes else "no fixes to make")
    return EXIT_PROBLEMS if changes else EXIT_OK


def _apply_fixes(outcome, trees, paths, config, stdin_data):
    """--fix: write the fixed files; the result to report is what is on disk afterwards
    (checked again when a file could not be written)."""
    from .api import lint_paths, write_fixes

    refused = write_fixes(outcome, trees)
    for line in outcome.not_fixed + refused:
        _warn(line)
    result = outcome.result
    result.fixed = outcome.fixed
    if refused or outcome.not_fixed:
        written = [name for name in outcome.changed if not any(line.startswith(f"{name}: ") for line in refused)]
        result = lint_paths(paths, config, stdin_data if outcome.stdin_text is None else
                            outcome.stdin_text.encode("utf-8"), config.jobs)
        result.fixed = sum(outcome.counts.get(name, 0) for name in written) + (
            outcome.fixed - sum(outcome.counts.values()))  # standard input's fixes were printed
    result.unsafe_fixes = outcome.result.unsafe_fixes
    return result


def _outputs(values: tuple[str, ...]) -> tuple[str | None, list[tuple[str, str]]]:
    """-o FILE (the report, once) and -o FORMAT:FILE (more reports, each in its format)."""
    main_output, extra = None, []
    for value in values:
        fmt, sep, target = value.partition(":")
        if sep and fmt in FORMATS and target:
            extra.append((fmt, target))
        elif main_output is None:
            main_output = value
        else:
            raise click.BadParameter(f"'{value}': a second report needs its format, e.g. sarif:{value}",
                                     param_hint="--output")
    return main_output, extra


def _warn(message: str) -> None:
    _note(f"warning: {message}")


def _note(message: str) -> None:
    try:
        sys.stderr.write(displayable(f"asl-lint: {message}") + "\n")
    except (OSError, AttributeError, ValueError):
        pass


def _aws_mode(ctx: click.Context, value: str | None) -> str | None:
    """--aws-validate, --aws-validate=required or =off. Given bare before a path, click
    takes the path for its value: it is given back to the paths."""
    if value is None or value in ("on", "off", "required"):
        return value
    ctx.meta.setdefault("asl_lint_paths", []).append(value)
    return "on"


def _configuration(options: dict, trees) -> Config:
    """The defaults, then the configuration file, then the command line."""
    from .config import Config, ConfigError, config_from_file, find_config_file

    config_file, isolated = options["config_file"], options["isolated"]
    if config_file and isolated:
        raise ConfigError("--config and --isolated exclude each other")
    config = Config(root=os.getcwd(), start=os.getcwd())
    found = None if isolated else (config_file or find_config_file(".", trees))
    if found:
        config = config_from_file(found, config, trees)
    get_logger("asl_lint").debug("configuration: %s", found or ("none (--isolated)" if isolated else "none found"))
    config = config.merged(
        select=_split(options["select"]) or None,
        extend_select=config.extend_select + _split(options["extend_select"]),
        ignore=config.ignore + _split(options["ignore"]),
        severities={**config.severities, **_severities(options["severity_overrides"])},
        kind=options["kind"],
        workflow_type=options["workflow_type"].upper() if options["workflow_type"] else None,
        jobs=options["jobs"],
        exclude=_split(options["exclude"]) or None,
        extend_exclude=config.extend_exclude + _split(options["extend_exclude"]),
        respect_gitignore=options["respect_gitignore"],
        force_exclude=options["force_exclude"],
        skip_unrecognized=options["skip_unrecognized"] or None,
        with_includers=options["with_includers"] or None,
        hook=options["hook"],
        var_files=tuple(options["var_files"]) or None,
        variables=_variables(options["variables"]),
        baseline=options["baseline_file"],
        named_files=(options["baseline_file"],) if options["baseline_file"] else None,
        max_file_bytes=options["max_file_size"] * 1024 * 1024 if options["max_file_size"] else None,
        allow_outside_references=options["allow_outside_references"],
        stdin_filename=options["stdin_filename"],
        aws_validate=options["aws_validate"],
        require_machines=options["require_machines"],
    )
    if options["fail_on"]:  # "never" is None, which merged() would read as "not given"
        config = replace(config, fail_on=None if options["fail_on"] == "never" else Severity.parse(options["fail_on"]))
    # The result cache is on by default here (the API's default is off); the command line
    # wins over the environment, which wins over the configuration.
    cache_dir = options["cache_dir"] or os.environ.get("ASL_LINT_CACHE_DIR") or config.cache_dir
    return replace(config, cache=False if options["no_cache"] else config.cache is not False, cache_dir=cache_dir)


class _ReportFile(io.StringIO):
    """A report for a file, kept in memory and written whole at the end (a temporary file
    renamed over the old one): a failed write never leaves a torn report behind."""

    def __init__(self, path: str, trees) -> None:
        super().__init__()
        self.path, self.trees = path, trees

    def commit(self) -> None:
        from .files import write_atomically

        write_atomically(self.path, self.getvalue(), self.trees)


def _distinct_outputs(main_output: str | None, extra_outputs: list[tuple[str, str]]) -> None:
    """Two reports never go to one file (or both to standard output): they would
    interleave into a file that is neither."""
    seen: dict[str, str] = {}
    for fmt, target in [("", main_output or "-"), *extra_outputs]:
        key = "-" if target == "-" else os.path.realpath(target)
        if key in seen:
            shown = "standard output" if key == "-" else target
            raise click.BadParameter(f"two reports would be written to {shown}: give each its own file",
                                     param_hint="--output")
        seen[key] = fmt


def _variables(values: tuple[str, ...]) -> tuple[str, ...] | None:
    for value in values:
        name, sep, _ = value.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][\w-]*", name.strip()):
            raise click.BadParameter(f"'{value}': use NAME=VALUE", param_hint="--var")
    return tuple(value.split("=", 1)[0].strip() + "=" + value.split("=", 1)[1] for value in values) or None


def _open_output(output: str | None, trees) -> TextIO:
    """Standard output, or a report file checked now (a report that cannot be written
    fails before anything is linted) and written whole when the report is done."""
    from .files import WriteRefused

    if output is None or output == "-":
        if sys.stdout is None:  # started with its standard output closed
            _fail("cannot write the report to standard output: it is closed")
        return sys.stdout
    try:
        target = trees.output_target(output)
        if os.path.isdir(target):
            raise IsADirectoryError(21, "Is a directory")
        folder = os.path.dirname(os.path.abspath(target))
        if not os.path.isdir(folder):
            raise FileNotFoundError(2, "No such file or directory")
        if not os.access(folder, os.W_OK) and not os.access(target, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except WriteRefused as refused:
        _fail(str(refused))
    except OSError as error:
        _fail(f"cannot write the report to {output}: {error.strerror or error}")
    return _ReportFile(output, trees)


def _read_stdin(limit: int) -> bytes:
    """Standard input, at most one byte more than the limit (which tells a too-large
    input from one that just fits), read in pieces: a huge limit allocates nothing."""
    from .files import read_bounded

    if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
        _fail("cannot read standard input: it is closed")
    try:
        return read_bounded(sys.stdin.buffer.read, limit)
    except (OSError, ValueError) as error:
        _fail(f"cannot read standard input: {getattr(error, 'strerror', None) or error}")
    raise AssertionError  # unreachable: _fail exits


def _log_safely() -> None:
    import logging

    class SafeFormatter(logging.Formatter):
        """Log lines that file names and other user text can never break or colour."""

        def format(self, record: logging.LogRecord) -> str:
            return displayable(super().format(record))

    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG, handlers=[handler])


def _fail(message: str) -> NoReturn:
    """A one-line error on standard error and exit status 2 (standard output may be gone)."""
    try:
        sys.stderr.write(displayable(f"asl-lint: {message}") + "\n")
        sys.stderr.flush()
    except (OSError, AttributeError, ValueError):
        pass
    try:  # a closed standard output must not fail again when the interpreter flushes it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
    sys.exit(EXIT_USAGE)


def run() -> None:
    """The command's entry point: the command, then an exit without the interpreter's
    teardown, which frees every object and module one by one (5 ms for a single file,
    20 ms after a batch with a thousand findings) when the process is about to end anyway.
    Only a run that has nothing left to do takes it: its output flushed, no other thread
    alive; anything else (a message as the exit status, a pipe closed early) ends the
    usual way."""
    from .run.batch import process_ends_after_run

    process_ends_after_run()
    try:
        main()
    except SystemExit as done:
        _end_now(done.code)
        raise


def _end_now(code: object) -> None:
    if code is None:
        code = EXIT_OK
    threading = sys.modules.get("threading")  # no other thread can run before it is imported
    if type(code) is not int or (threading is not None and threading.active_count() > 1):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        return  # the usual exit reports it
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()  # a log file's handler writes what it holds
    os._exit(code)
