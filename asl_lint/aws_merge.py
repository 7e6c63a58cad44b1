"""AWS's answers merged into asl-lint's findings: one finding where both agree (marked
as confirmed by AWS), AWS's own findings as ASL017/ASL018 at AWS's location, and one
ASL020 for each reason AWS could not be asked."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from .aws import AwsRequest, ask_aws
from .config import Config
from .diagnostics import Diagnostic, LintResult, Severity, printable
from .model import state_at


def _path_of(pointer: str) -> tuple:
    """RFC 6901: '/States/A~1B/Next' -> ('States', 'A/B', 'Next'); list indexes as ints."""
    if not pointer:
        return ()
    parts = []
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append(int(token) if token.isdigit() else token)
    return tuple(parts)


def _related(ours: str, theirs: str) -> bool:
    """Whether two JSON pointers name the same place, one perhaps more precisely."""
    return not theirs or ours == theirs or ours.startswith(theirs + "/") or theirs.startswith(ours + "/")


def _agrees(diagnostic: Diagnostic, finding: dict, registry) -> bool:
    code = finding.get("code")
    if code == "ValidationException":  # the API's own limits: the definition's length
        rule = registry.get(diagnostic.rule)
        return rule is not None and rule.rejected_by_aws() and rule.aws_code is None
    return diagnostic.aws_code == code and _related(diagnostic.pointer, finding.get("location") or "")


def _locate(request: AwsRequest, pointer: str, config: Config):
    """Where AWS's location is in the file: the host is read and extracted again (only
    for AWS's own findings, which are few)."""
    from .engine import references_for
    from .extract import extract_definitions
    from .files import read_file
    from .source import load_documents

    try:
        references = references_for(config)
        text = read_file(request.host, config.max_file_bytes, references.trees())
        for document in load_documents(text, request.host):
            for definition in extract_definitions(document, request.host, config.kind, references).definitions:
                if printable(definition.file) == request.file and definition.machine == request.machine:
                    return definition.sourcemap.span(_path_of(pointer))
    except Exception:  # noqa: BLE001 - a file that changed or went away: no position
        return None
    return None


def _marker(rule_id: str, severity: Severity, message: str, file: str, span=None, machine: str | None = None,
            pointer: str = "", aws_code: str | None = None) -> Diagnostic:
    from .rules import load_rules

    rule = load_rules().get(rule_id)
    position = {} if span is None else dict(line=span.line, column=span.column, end_line=span.end_line,
                                            end_column=span.end_column)
    located = state_at(_path_of(pointer))
    return Diagnostic(rule.id, rule.name, severity, printable(message), file, **position, machine=machine,
                      pointer=pointer, state=printable(located[0]) if located else None, aws_code=aws_code,
                      aws_confirmed=None if rule_id == "ASL020" else True)  # AWS's own finding


def with_aws_verdicts(result: LintResult, requests: list[AwsRequest], config: Config) -> None:
    from .rules import load_rules

    registry = load_rules()
    answers = ask_aws(requests)
    mine: dict[tuple, list[int]] = defaultdict(list)
    for index, diagnostic in enumerate(result.diagnostics):
        mine[(diagnostic.file, diagnostic.machine)].append(index)
    confirmed: dict[int, bool] = {}
    added: list[Diagnostic] = []
    unavailable: dict[str, list[AwsRequest]] = defaultdict(list)
    for request, answer in zip(requests, answers):
        key = (request.file, request.machine)
        if answer.unavailable is not None:
            unavailable[answer.unavailable].append(request)
            continue
        result.aws_verdicts[key] = answer.result == "OK"
        indexes = mine.get(key, [])
        for index in indexes:
            if result.diagnostics[index].aws_code is not None:
                confirmed.setdefault(index, False)
        for finding in answer.diagnostics:
            hits = [index for index in indexes if _agrees(result.diagnostics[index], finding, registry)]
            for index in hits:
                confirmed[index] = True
            if hits:
                continue
            error = finding.get("severity") == "ERROR"
            rule_id = "ASL017" if error else "ASL018"
            if not config.enabled(rule_id):
                continue
            pointer = finding.get("location") or ""
            message = f"AWS: {finding.get('code', '?')}: {str(finding.get('message', ''))[:300]}"
            rule = registry.get(rule_id)
            added.append(_marker(rule_id, config.severity_of(rule), message, request.file,
                                 _locate(request, pointer, config), request.machine, pointer, finding.get("code")))
    for index, agreed in confirmed.items():
        result.diagnostics[index] = dataclasses.replace(result.diagnostics[index], aws_confirmed=agreed)
    required = config.aws_validate == "required"
    for why, waiting in unavailable.items():
        if not config.enabled("ASL020"):
            continue
        count = len(waiting)
        severity = Severity.ERROR if required else config.severity_of(registry.get("ASL020"))
        message = (f"{count} state machine{'s' if count != 1 else ''} not validated by AWS: {why}"
                   + ("" if required else "; asl-lint's own checks ran"))
        added.append(_marker("ASL020", severity, message, waiting[0].host))
    result.diagnostics.extend(added)
