"""The asl-lint command: options in, a report and an exit status out."""

from __future__ import annotations

import io
import logging
import os
import sys
from typing import NoReturn, TextIO

import click

from . import __version__
from .diagnostics import Severity
from .limits import MAX_FILE_BYTES

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github")


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(token.strip() for value in values for token in value.split(",") if token.strip())


def _severities(values: tuple[str, ...]) -> dict[str, Severity]:
    result = {}
    for value in _split(values):
        rule, sep, level = value.partition("=")
        if not sep:
            raise click.BadParameter(f"'{value}': use RULE=error|warning|info", param_hint="--severity")
        try:
            result[rule.strip()] = Severity.parse(level)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--severity") from None
    return result


def _list_rules() -> None:
    from .rules import load_rules

    for rule in load_rules():
        click.echo(f"{rule.id}  {rule.name:<30} {rule.severity.label:<8} {rule.summary()}")


def _explain(token: str) -> None:
    from .rules import load_rules

    rule = load_rules().get(token)
    if rule is None:
        raise click.BadParameter(f"no rule '{token}' (see --list-rules)", param_hint="--explain")
    click.echo(f"{rule.id} {rule.name} (default severity: {rule.severity.label})\n")
    click.echo(rule.documentation())


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(exists=True, readable=False, allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(FORMATS),
              help="Report format [default: text, or github inside GitHub Actions].")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write the report to a file.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules: ids, names, id prefixes (ASL2), tags or ALL; comma-separated.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (same forms as --select).")
@click.option("--severity", "severity_overrides", multiple=True, metavar="RULE=LEVEL",
              help="Change a rule's severity, e.g. ASL204=error.")
@click.option("--kind", type=click.Choice(["asl", "cloudformation", "serverless"]),
              help="Read every file as this kind instead of recognising it by its content.")
@click.option("--type", "workflow_type", type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
              default="STANDARD", show_default=True,
              help="Workflow type of definitions whose template does not give one.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="Exit with status 1 when a problem at or above this severity is found.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour in the text report (NO_COLOR is honoured).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes; 0 uses every core when there are many files.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=MAX_FILE_BYTES // 1024 // 1024,
              show_default=True, metavar="MIB", help="Do not read files larger than this many MiB (ASL012).")
@click.option("--allow-outside-references", is_flag=True,
              help="Read DefinitionUri and ${file()} files outside the directories being linted (ASL013).")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", metavar="RULE", help="Show a rule's documentation and exit.")
@click.option("-v", "--verbose", is_flag=True, help="Log debugging detail (with tracebacks of rule crashes).")
@click.version_option(__version__, prog_name="asl-lint")
@click.pass_context
def main(ctx: click.Context, paths: tuple[str, ...], output_format: str | None, output: str | None, select,
         ignore, severity_overrides, kind: str | None, workflow_type: str, fail_on: str, color: str, jobs: int,
         max_file_size: int, allow_outside_references: bool, list_rules: bool, explain: str | None,
         verbose: bool) -> None:
    """Lint AWS Step Functions state machines in PATHS: Amazon States Language files,
    CloudFormation, SAM and CDK templates, and Serverless Framework files.

    PATHS are files, directories (walked for .json, .yaml, .yml and .template files) or -
    for standard input.
    """
    if verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    if list_rules:
        _list_rules()
        ctx.exit(EXIT_OK)
    if explain:
        _explain(explain)
        ctx.exit(EXIT_OK)
    if not paths:
        raise click.UsageError("no paths given (use - to read standard input)")

    from .api import lint_paths
    from .config import Config
    from .reporters import REPORTERS

    config = Config(
        select=_split(select) or ("ALL",),
        ignore=_split(ignore),
        severities=_severities(severity_overrides),
        fail_on=None if fail_on == "never" else Severity.parse(fail_on),
        kind=kind,
        workflow_type=workflow_type.upper(),
        max_file_bytes=max_file_size * 1024 * 1024,
        allow_outside_references=allow_outside_references,
    )
    try:
        config.validate()
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    stream = _open_output(output)  # before linting: a report that cannot be written fails at once
    # One byte more than the limit tells a too-large input from one that just fits.
    stdin_data = sys.stdin.buffer.read(config.max_file_bytes + 1) if "-" in paths else None
    result = lint_paths(paths, config, stdin_data, jobs)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    try:
        REPORTERS[output_format](result, stream, color)
        stream.flush()
        if stream is not sys.stdout:
            stream.close()
    except OSError as error:
        _fail(f"cannot write the report to {output or 'standard output'}: {error.strerror or error}")
    worst = result.worst()
    failed = config.fail_on is not None and worst is not None and worst >= config.fail_on
    ctx.exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _open_output(output: str | None) -> TextIO:
    if output is None or output == "-":
        if sys.stdout is None:  # started with its standard output closed
            _fail("cannot write the report to standard output: it is closed")
        return sys.stdout
    try:
        return open(output, "w", encoding="utf-8")  # noqa: SIM115 (closed after the report)
    except OSError as error:
        _fail(f"cannot write the report to {output}: {error.strerror or error}")
        raise  # unreachable: _fail exits


def _fail(message: str) -> NoReturn:
    """A one-line error on standard error and exit status 2 (standard output may be gone)."""
    try:
        sys.stderr.write(f"asl-lint: {message}\n")
        sys.stderr.flush()
    except OSError:
        pass
    try:  # a closed standard output must not fail again when the interpreter flushes it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
    sys.exit(EXIT_USAGE)
