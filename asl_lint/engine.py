"""Check one file: load, extract, run every rule, turn findings into diagnostics."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from .config import Config
from .context import Definition, RuleContext
from .diagnostics import Checked, Diagnostic, FileReport, Severity, json_pointer, printable
from .extract import extract_definitions, shape_problem
from .extract.placeholders import is_intrinsic
from .files import ASL_NAMES, References, blake2b, name_marks_definition, project_roots
from .limits import MAX_SCOPE_DEPTH, MAX_STATES
from .logs import get_logger
from .model import Scope, state_at, value_at
from .rules.catalogue import catalogue
from .rules.catalogue import info as rule_info
from .rules.base import Finding
from .source import LineIndex, LoadError, load_document, load_documents
from .suppress import Directive, definition_directives, document_directives, partition, stale

log = get_logger(__name__)

# One rule or one file may raise anything, including BaseException subclasses that compiled
# extensions raise (a pyo3 PanicException); all of it is caught, but for these.
NOT_CAUGHT = (KeyboardInterrupt, SystemExit, GeneratorExit)


def references_for(config: Config, overlay: dict[str, str] | None = None) -> References:
    """The reader of referenced files for one run (or one worker's chunk of it): each file
    is read, parsed and checked once in it, and nothing is kept from one run to the next.
    `overlay`: texts (by real path) that stand for files."""
    return References(config.reference_roots, config.allow_outside_references, config.max_file_bytes, overlay,
                      terraform_var_files=tuple(config.var_files),
                      terraform_vars=dict(item.split("=", 1) for item in config.variables if "=" in item))


_keeping = False  # checks put their contexts in _never_freed instead of freeing them
_never_freed: list[RuleContext] = []


@contextmanager
def keeping_what_is_checked() -> Iterator[None]:
    """Checks within keep what they build instead of freeing it, and no collection walks
    it afterwards: for the last file of a process that then ends without freeing anything
    (the command line ends with os._exit). Freeing a 20,000-state definition's views and
    parse tree costs a twentieth of its check, and a collection after it would walk them."""
    global _keeping
    enabled = gc.isenabled()
    gc.disable()
    _keeping = True
    try:
        yield
    finally:
        _keeping = False
        gc.freeze()  # what is kept goes where no collection looks; the collector runs again
        if enabled:
            gc.enable()


# The common kinds of state, as deployed definitions write them, with no finding: checked
# once before the files (run.batch, before its workers fork; the editor's checking process)
# so that what checking any file needs (the configuration's rules, the schema, the graph's
# structures) is loaded once. A built-in text rather than the first file: no file is read
# or checked twice, a big one included, and none outside a worker that may die on it.
_WARM_UP = (
    '{"StartAt": "Route", "States": {'
    '"Route": {"Type": "Choice", "Choices": [{"Variable": "$.kind", "StringEquals": "one", "Next": "Call"}],'
    ' "Default": "Each"},'
    '"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",'
    ' "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f", "Payload.$": "$"},'
    ' "ResultSelector": {"body.$": "$.Payload"}, "ResultPath": "$.result",'
    ' "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",'
    ' "Lambda.SdkClientException"], "MaxAttempts": 2}],'
    ' "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}], "Next": "Both"},'
    '"Each": {"Type": "Map", "ItemsPath": "$.items",'
    ' "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}}, "Next": "Both"},'
    '"Both": {"Type": "Parallel", "Branches": [{"StartAt": "Wait",'
    ' "States": {"Wait": {"Type": "Wait", "Seconds": 1, "End": true}}}], "Next": "Done"},'
    '"Done": {"Type": "Succeed"},'
    '"Failed": {"Type": "Fail", "Error": "Failed", "Cause": "the call failed"}}}')


def warm_up(config: Config) -> FileReport:
    """Check the built-in definition once with `config`: its report has no finding."""
    return lint_text(_WARM_UP, "warm-up.asl.json", config)


def lint_text(text: str, file: str, config: Config, explicit: bool = True, kind: str | None = None,
              references: References | None = None) -> FileReport:
    """Lint one file's text. `explicit`: named by the user, not found in a directory walk;
    `kind`: asl, cloudformation or serverless, instead of recognising it by content;
    `references`: reads the files templates point to (one per run shares its cache).

    A file found by walking (or named, with skip_unrecognized) whose name says nothing of
    what it holds is skipped quietly when it does not parse or holds no state machine: a
    tsconfig.json with comments or a Helm chart is none of asl-lint's business.
    """
    report = FileReport()
    quiet = kind is None and (not explicit or config.skip_unrecognized) and not name_marks_definition(file)
    hcl = kind == "terraform" and not file.lower().endswith(".json") or \
        kind is None and file.lower().endswith(".tf")
    if hcl:
        from .extract.terraform import mentions_state_machine

        holds = mentions_state_machine(text)
        quiet = (not explicit or config.skip_unrecognized) and not holds
        if not holds:  # no aws_sfn_state_machine, no step-functions module: nothing to parse
            if quiet:
                report.skipped = True
            else:
                report.diagnostics.extend(_present(_diagnostic(
                    "ASL003", config, "no state machine found: the file has no aws_sfn_state_machine resource and no"
                    " terraform-aws-modules/step-functions module", file, LineIndex(text).span(0, 0), None, ())))
            return report
    try:
        documents = load_documents(text, file, "hcl" if hcl else None)
    except LoadError as error:
        if quiet:
            log.debug("skipped %s: %s", file, error.message)
            report.skipped = True
            return report
        rule = "ASL006" if error.kind == "too-complex" else "ASL001"
        index = LineIndex(text)
        offset = error.offset if error.offset is not None else 0
        span = index.span(offset, offset)
        report.diagnostics.extend(_present(_diagnostic(rule, config, error.message, file, span, None, ())))
        return report
    if references is None:  # a file on its own: its directory is one of the trees being linted
        roots = config.reference_roots or project_roots([file])
        references = References(roots, config.allow_outside_references, config.max_file_bytes)
    for document in documents:
        _lint_document(document, file, config, explicit and not quiet, kind, references, report)
    if quiet and not report.machines and not report.diagnostics:
        log.debug("skipped %s: no state machine in it", file)
        report.skipped = True
    _apply_comment_directives(documents, file, references, config, report)
    return report


def _apply_comment_directives(documents, file: str, references: References, config: Config,
                              report: FileReport) -> None:
    """`# asl-lint: disable...` comments, in this file and in the files its templates
    reference (where those diagnostics are). Unused ones are reported in this file only:
    a referenced file may be linted through another template too."""
    directives = document_directives(documents, file)
    for other in sorted({d.file for d in report.diagnostics} - {file}):
        try:
            directives += document_directives([references.parsed(other, load_document)], other)
        except Exception:  # noqa: BLE001 - a file that cannot be read now has no directives
            continue
    if not directives:
        return
    report.diagnostics, suppressed = partition(report.diagnostics, directives)
    report.suppressed.extend(suppressed)
    if config.enabled("ASL016"):
        index = LineIndex(documents[0].text if documents else "")  # one line table for every comment
        report.diagnostics.extend(_unused(directive, why, config, _comment_removal(index, directive))
                                  for directive, why in stale((d for d in directives if d.file == file),
                                                              config.enabled))


def _unused(directive: Directive, why: str, config: Config, fix=None) -> Diagnostic:
    rule = rule_info("ASL016")
    return Diagnostic(rule.id, rule.name, config.severity_of(rule), why, directive.file,
                      directive.line, directive.column, directive.line, directive.end_column,
                      fix=None if directive.unknown else fix)  # a typo is for its author to correct


def _comment_removal(index: LineIndex, directive: Directive):
    """Removing a `# asl-lint: ...` comment: its line when nothing else is on it."""
    from .fixes import Edit, Fix

    text = index.text
    line_start = index.line_start(directive.line)
    start = line_start + directive.column - 1
    if text[start:start + 1] != "#":
        return None
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:start]
    if not before.strip():
        edit = Edit(line_start, min(len(text), line_end + 1), "")
    else:
        edit = Edit(line_start + len(before.rstrip()), line_end - (text[line_end - 1:line_end] == "\r"), "")
    return Fix("Remove the unused suppression", (edit,), True)


def _field_removal(definition: Definition, directive: Directive):
    """Removing `asl-lint: disable=...` from a Comment field: the field, when that is all it says."""
    from .fixes import fix_for
    from .proposals import delete, replace
    from .suppress import without_field_directive

    comment = value_at(definition.data, directive.path)
    if not directive.path or not isinstance(comment, str):
        return None
    rest = without_field_directive(comment)
    proposal = delete(directive.path, "Remove the unused suppression") if not rest else \
        replace(directive.path, rest, "Remove the unused suppression")
    return fix_for(definition, proposal)


def _lint_document(document, file: str, config: Config, explicit: bool, kind: str | None,
                   references: References, report: FileReport) -> None:
    extraction = extract_definitions(document, file, kind, references)
    for note in extraction.notes:
        report.diagnostics.extend(_present(_from_note(note, config)))
    # --kind asl checks any object against the schema; a name that says ASL promises more.
    must_be_asl = (kind == "asl" and not isinstance(document.data, dict)) or file.lower().endswith(ASL_NAMES) \
        and document.format != "hcl"
    # A whole file that is one intrinsic ({"Fn::Join": ...}) is a template's value, cut out.
    problem = shape_problem(document.data) if must_be_asl and not is_intrinsic(document.data) else None
    if problem is not None:
        what = "read as a state machine (--kind asl)" if kind == "asl" else "named as a state machine definition"
        span = document.sourcemap.span(())
        report.diagnostics.extend(_present(_diagnostic("ASL014", config, f"the file is {what}, but it {problem}",
                                                       file, span, None, ())))
        return
    if not extraction.definitions and explicit and not extraction.notes:
        message = extraction.why or {
            None: "no state machine found: the file is not an ASL definition, a template or a serverless file",
            "cloudformation": "no state machine found: the template has no AWS::StepFunctions::StateMachine"
                              " or AWS::Serverless::StateMachine resource",
            "serverless": "no state machine found: the file has no stepFunctions.stateMachines",
            "terraform": "no state machine found: the file has no aws_sfn_state_machine resource and no"
                         " terraform-aws-modules/step-functions module with a definition",
        }.get(extraction.kind, "no state machine found")
        span = document.sourcemap.span(())
        report.diagnostics.extend(_present(_diagnostic("ASL003", config, message, file, span, None, ())))
    mentions: dict[str, bool] = {}  # file -> whether it says "asl-lint:" anywhere
    for definition in extraction.definitions:
        report.machines += 1
        definition.workflow_type = (definition.workflow_type or config.workflow_type).upper()
        key = _check_key(definition) if definition.template is not None or definition.shared else None
        first = key is None or references.first_check(key, definition.machine)
        findings_of = definition.machine if first else references.checked_as(key)
        report.checked.append(Checked(*(None if text is None else printable(text) for text in (
            definition.file, definition.machine, file, findings_of))))
        if config.keep_machines is True:
            from .graph import Machine

            report.drawn.append(Machine(definition.file, definition.machine, definition.data))
        if first and config.aws_validate != "off":
            from .aws import AwsRequest, aws_definition

            report.aws_requests.append(AwsRequest(file, definition.file, definition.machine, aws_definition(
                definition.data, definition.placeholders, definition.substituted), definition.workflow_type))
        if first:
            diagnostics = _check_use(definition, config, references) if definition.template is not None \
                else check_definition(definition, config)
            if config.keep_machines == "errors" and any(d.severity == Severity.ERROR for d in diagnostics):
                from .graph import Machine  # only these are drawn in a job summary: keep no more

                report.drawn.append(Machine(definition.file, definition.machine, definition.data))
            directives = definition_directives(definition) if _may_hold_directives(
                definition, document, file, references, mentions) else []
            if directives:
                diagnostics, suppressed = partition(diagnostics, directives)
                report.suppressed.extend(suppressed)
                if config.enabled("ASL016"):
                    diagnostics += [_unused(directive, why, config, _field_removal(definition, directive))
                                    for directive, why in stale(directives, config.enabled)]
            report.diagnostics.extend(diagnostics)


def _may_hold_directives(definition: Definition, document, file: str, references: References,
                         mentions: dict[str, bool]) -> bool:
    """Whether a definition can carry a suppression (a Comment saying 'asl-lint:', template
    Metadata): most files say nothing of asl-lint, and looking costs a walk of every state.
    `mentions` remembers the answer per file: a .tf file may hold a thousand machines."""
    if definition.ignore:
        return True
    if definition.file not in mentions:
        try:
            text = document.text if definition.file == file else references.read(definition.file)
        except Exception:  # noqa: BLE001 - unreadable now: it was read to make the definition
            return True
        mentions[definition.file] = "asl-lint:" in text
    return mentions[definition.file]


def _check_key(definition: Definition) -> str:
    """What the diagnostics of a referenced definition file depend on: each distinct use of
    it is checked once, as the repeats would give the diagnostics that the report shows
    once anyway. A digest of its file, data, type, substitutions and template, the same
    from one run to the next (the result cache replays which file checked it first)."""
    import json

    substitutions = None if definition.substitutions is None else sorted(definition.substitutions)
    parts = [definition.file, definition.data, definition.workflow_type, substitutions, definition.template]
    try:
        written = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=False)
    except (TypeError, ValueError):  # YAML keys that are not all strings
        written = repr(parts)
    return blake2b(written.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _check_use(definition: Definition, config: Config, references: References) -> list[Diagnostic]:
    """A definition file as one template uses it: what the definition alone decides is
    found once per run (and given this machine's name), what the use decides (its
    substitutions) for each use. 150 templatefile() calls of one template: one check."""
    import dataclasses

    key = ("definition-findings", _check_key(dataclasses.replace(definition, substitutions=None, template=None)))
    found = references.memo.get(key)
    if found is None:
        found = references.memo[key] = check_definition(definition, config, "definition")
    else:
        found = [dataclasses.replace(d, machine=definition.machine) for d in found]
    return found + check_definition(definition, config, "use")


def check_definition(definition: Definition, config: Config, part: str = "all") -> list[Diagnostic]:
    """The findings of one definition; `part`: "definition" (what it alone decides: the
    schema and every rule but the per-use ones), "use" (the per-use rules only), "all"."""
    from .rules.schema.validate import schema_findings

    ctx = RuleContext(definition)
    too_large = size_limit_finding(ctx.scopes)
    if too_large is not None and part == "use":
        return []
    if part == "use":
        return _findings_to_diagnostics(definition, config, _rule_findings(ctx, config, per_use=True))
    if too_large is not None:  # nothing beyond a limit is checked: the limits bound the work
        return _present(_diagnostic("ASL006", config, too_large.message, definition.file,
                                    _locate(definition, too_large), definition.machine, too_large.path))
    findings: list[tuple[str, Finding]] = []
    try:
        findings.extend(schema_findings(definition.data, definition.placeholders, ctx.scopes))
    except NOT_CAUGHT:
        raise
    except BaseException as error:  # a crash in one check must not end the run
        log.debug("schema pass failed", exc_info=True)
        findings.append(("ASL004", Finding((), f"the schema check failed: {type(error).__name__}: {error}")))
    findings += _rule_findings(ctx, config, per_use=None if part == "all" else False)
    return _findings_to_diagnostics(definition, config, findings)


def _rule_findings(ctx: RuleContext, config: Config, per_use: bool | None) -> list[tuple[str, Finding]]:
    """(rule id, finding) of the checking rules (`per_use`: only those, none of those, or all)."""
    findings: list[tuple[str, Finding]] = []
    for rule_id, rule in _checking_rules(config):
        if per_use is not None and rule.per_use != per_use:
            continue
        try:
            for finding in rule.check(ctx):
                findings.append((rule_id, finding))
        except NOT_CAUGHT:
            raise
        except BaseException as error:
            log.debug("rule %s failed", rule.id, exc_info=True)
            message = f"rule {rule.id} {rule.name} failed: {type(error).__name__}: {error}"
            findings.append(("ASL004", Finding((), message)))
    if _keeping:
        _never_freed.append(ctx)
    else:
        ctx.release()
    return findings


def _findings_to_diagnostics(definition: Definition, config: Config,
                             findings: list[tuple[str, Finding]]) -> list[Diagnostic]:
    diagnostics = []
    seen = set()
    for rule_id, finding in findings:
        span = _locate(definition, finding)
        diagnostic = _diagnostic(rule_id, config, finding.message, definition.file, span,
                                 definition.machine, finding.path, _fix(definition, finding),
                                 _related(definition, finding))
        if diagnostic is None:
            continue
        key = (diagnostic.rule, diagnostic.line, diagnostic.column, diagnostic.message)
        if key not in seen:
            seen.add(key)
            diagnostics.append(diagnostic)
    return diagnostics


def _checking_rules(config: Config) -> list:
    """(id, instance) of each rule that checks definitions in this configuration, made once
    per configuration: rules keep nothing between checks."""
    found = config.__dict__.get("_checking_rules")
    if found is None:
        # Only the modules of the rules that run are imported (the catalogue knows the rest).
        found = config.__dict__["_checking_rules"] = [(rule.id, rule.load()()) for rule in catalogue().values()
                                                      if not rule.marker and config.enabled(rule.id)]
    return found


def size_limit_finding(scopes: list[Scope]) -> Finding | None:
    """The first place where a definition (its scopes) exceeds MAX_STATES or MAX_SCOPE_DEPTH."""
    states = 0
    for scope in scopes:
        if scope.depth > MAX_SCOPE_DEPTH:
            return Finding(scope.path, f"Parallel and Map states nested more than {MAX_SCOPE_DEPTH} deep:"
                                       " asl-lint's limit (MAX_SCOPE_DEPTH); the definition is not checked", "key")
        states += len(scope.states)
        if states > MAX_STATES:
            return Finding((), f"more than {MAX_STATES:,} states: asl-lint's limit (MAX_STATES);"
                               " the definition is not checked", "value")
    return None


def _fix(definition: Definition, finding: Finding):
    """The edits that carry out the fix a rule proposes, when they can be written exactly."""
    if finding.fix is None:
        return None
    from .fixes import fix_for

    try:
        return fix_for(definition, finding.fix)
    except NOT_CAUGHT:
        raise
    except Exception:  # noqa: BLE001 - a fix that cannot be made is offered as none
        log.debug("no fix for %s", finding.path, exc_info=True)
        return None


def _related(definition: Definition, finding: Finding) -> tuple:
    found = []
    for path, message in finding.related:
        span = definition.sourcemap.span(path, "key")
        if span is not None:
            found.append((definition.file, span.line, span.column, span.end_line, span.end_column, message))
    return tuple(found)


def _locate(definition: Definition, finding: Finding):
    """Where a finding is in its file; inside a string when the rule says which characters."""
    sourcemap = definition.sourcemap
    if finding.within is not None:
        value = value_at(definition.data, finding.path)
        if isinstance(value, str):
            return sourcemap.span_within(finding.path, value, *finding.within)  # type: ignore[attr-defined]
    return sourcemap.span(finding.path, finding.anchor)  # type: ignore[attr-defined]



def _from_note(note, config: Config) -> Diagnostic | None:
    rule = rule_info(note.rule)
    if rule is None or not config.enabled(rule.id):
        return None
    span = note.span
    position = {}
    if span is not None:
        position = dict(line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column)
    return Diagnostic(rule.id, rule.name, config.severity_of(rule), printable(note.message), note.file,
                      **position, machine=note.machine, aws_code=rule.aws_code, fix=note.fix)


def _present(diagnostic: Diagnostic | None) -> list[Diagnostic]:
    return [diagnostic] if diagnostic is not None else []


def _diagnostic(rule_id, config, message, file, span, machine, path, fix=None, related=()) -> Diagnostic | None:
    rule = rule_info(rule_id)
    if rule is None or not config.enabled(rule.id):
        return None
    located = state_at(tuple(path))
    position = {}
    if span is not None:
        position = dict(line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column)
    return Diagnostic(rule.id, rule.name, config.severity_of(rule), printable(message), file, **position,
                      machine=machine, pointer=printable(json_pointer(tuple(path))),
                      state=printable(located[0]) if located else None, aws_code=rule.aws_code, fix=fix,
                      related=related)

