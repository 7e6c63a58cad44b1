"""State machines in Serverless Framework files (serverless-step-functions plugin)."""

from __future__ import annotations

import copy
import json
import posixpath
import re
from typing import NamedTuple

from ..context import Definition
from ..source import Document, PrefixedSourceMap
from ..limits import MAX_DEFINITION_CHARACTERS, built_size
from .base import Extraction, Host, Note, built_too_large, shape_problem, too_large_message
from .placeholders import placeholder_paths, walk

_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
_FILE = re.compile(r"^\s*file\(([^)]+)\)\s*(?::\s*([\w.\-]+))?\s*$")
_WHOLE_FILE = re.compile(r"^\$\{\s*file\([^)]+\)[^{}]*\}$")
# Sources only known when deploying; their variables are placeholders, never warnings.
_DEPLOY_TIME = ("opt:", "sls:", "env:", "aws:", "ssm:", "cf:", "s3:", "param:", "self:provider.stage", "sm:")
MAX_INCLUDE_DEPTH = 10  # ${file()} inside included files, as deep as this


def looks_like_serverless(data: object) -> bool:
    """A Serverless Framework file: a stepFunctions section (inline or included), or a
    service with a provider (its state machines may be CloudFormation resources)."""
    return isinstance(data, dict) and ("stepFunctions" in data or ("service" in data and "provider" in data))


class Located(NamedTuple):
    """A value and where its text is: the file, its document and the path inside it."""

    file: str
    document: Document
    data: object
    path: tuple

    def child(self, key: object) -> Located | None:
        if isinstance(self.data, dict) and key in self.data:
            return Located(self.file, self.document, self.data[key], self.path + (key,))
        if isinstance(self.data, list) and isinstance(key, int) and 0 <= key < len(self.data):
            return Located(self.file, self.document, self.data[key], self.path + (key,))
        return None


def extract(host: Host) -> Extraction:
    result = Extraction("serverless")
    root = Located(host.file, host.document, host.document.data, ())
    functions = _follow(host, root.child("stepFunctions"), result.notes, None)
    machines = _follow(host, functions.child("stateMachines"), result.notes, None) if functions else None
    for key in machines.data if machines is not None and isinstance(machines.data, dict) else ():
        machine = _follow(host, machines.child(key), result.notes, key)
        if machine is None or not isinstance(machine.data, dict):
            continue
        if "definition" not in machine.data:
            if "States" in machine.data or "StartAt" in machine.data:  # the definition's fields one level too high
                holder = Host(machine.document, machine.file, host.references)
                result.notes.append(Note(
                    "ASL101", f"state machine '{key}' has StartAt and States but no definition: serverless-step-"
                    "functions refuses to package it (Missing \"definition\" property); put them under"
                    " definition:", machine.file, holder.span(machine.path, "key"), str(key)))
            continue
        definition = _definition(host, key, machine.child("definition"), result.notes)  # type: ignore[arg-type]
        if definition is None:
            continue
        kind = machine.data.get("type")
        definition.machine = key
        definition.workflow_type = kind.upper() if isinstance(kind, str) else None
        result.definitions.append(definition)
    _cloudformation_resources(host, root, result)
    if not result.definitions and not result.notes:
        result.why = _why_none(functions, machines)
    return result


def _cloudformation_resources(host: Host, root: Located, result: Extraction) -> None:
    """`resources:` of a serverless file (inline, included, or a list of both) is a
    CloudFormation template fragment: its state machines are checked as in a template."""
    from .cloudformation import extract_template

    resources = _follow(host, root.child("resources"), result.notes, None)
    parts = [resources] if resources is None or not isinstance(resources.data, list) else \
        [_follow(host, resources.child(index), result.notes, None) for index in range(len(resources.data))]
    for part in parts:
        if part is not None and isinstance(part.data, dict):
            found = extract_template(Host(part.document, part.file, host.references), part.path)
            result.definitions.extend(found.definitions)
            result.notes.extend(found.notes)


def _why_none(functions: Located | None, machines: Located | None) -> str:
    if functions is None:
        return ("no state machine found: the serverless file has no stepFunctions section and no"
                " AWS::StepFunctions::StateMachine under resources")
    if machines is None:
        return "no state machine found: the file has stepFunctions, but no stateMachines under it"
    if not isinstance(machines.data, dict) or not machines.data:
        return "no state machine found: stepFunctions.stateMachines is empty"
    return "no state machine found: no state machine under stepFunctions.stateMachines has a definition"


def _follow(host: Host, located: Located | None, notes: list[Note], machine: str | None) -> Located | None:
    """`located`, or what the ${file(...)[:key]} it holds includes, followed through
    includes inside included files. The Serverless Framework resolves every ${file()}
    against the service directory (the one holding serverless.yml), wherever it is
    written; see _load_file."""
    seen: list[tuple[str, str]] = []
    while located is not None and _is_include(located.data):
        expression = located.data.strip()[2:-1]  # type: ignore[union-attr]
        including = Host(located.document, located.file, host.references)
        link = (located.file, expression)
        if link in seen or len(seen) >= MAX_INCLUDE_DEPTH:
            chain = " -> ".join(f"{file}: ${{{text}}}" for file, text in seen + [link])
            why = "includes itself" if link in seen else f"nests more than {MAX_INCLUDE_DEPTH} includes"
            notes.append(Note("ASL015", f"this ${{file()}} {why}, so it is not followed ({chain})",
                              located.file, including.span(located.path), machine))
            return None
        seen.append(link)
        loaded = _load_file(including, expression, located.path, machine, notes, _directory(host.file))
        if loaded is None:
            return None
        located = Located(*loaded)
    return located


def _is_include(value: object) -> bool:
    return isinstance(value, str) and bool(_WHOLE_FILE.match(value.strip()))


def _definition(host: Host, key: str, written: Located, notes: list[Note]) -> Definition | None:
    located = _follow(host, written, notes, key)
    if located is None:
        return None
    problem = shape_problem(located.data)
    if problem is not None and located is not written:  # an included file must hold a machine
        notes.append(Note("ASL014", f"the definition of '{key}' included from {located.file} {problem}",
                          located.file, located.document.sourcemap.span(located.path), key))
        return None
    if not isinstance(located.data, dict):
        holder = Host(located.document, located.file, host.references)
        notes.append(Note("ASL008", f"state machine '{key}' cannot be checked here: its definition is not"
                          " a mapping or a ${file(...)} reference", located.file, holder.span(located.path, "key"),
                          key))
        return None
    document, file, prefix = located.document, located.file, located.path
    substituted: dict[tuple, str] = {}
    try:
        resolved, unresolved = _resolve(copy.deepcopy(located.data), host.document.data, substituted)
    except _TooLarge:
        resolved, unresolved = None, []
    too_large = too_large_message() if resolved is None else built_too_large(resolved, document, prefix)
    if too_large is not None:
        notes.append(Note("ASL504", too_large, file, document.sourcemap.span(prefix, "key"), key))
        return None
    where = host.file.rsplit("/", 1)[-1]
    for name, at in unresolved:
        notes.append(Note("ASL009", f"Serverless variable '${{{name}}}' names no key of {where}",
                          file, document.sourcemap.span(prefix + at), key))
    size = len(prefix)
    duplicates = [d for d in document.duplicates if d.object_path[:size] == prefix]
    return Definition(resolved, file, PrefixedSourceMap(document.sourcemap, prefix),
                      placeholders=placeholder_paths(resolved), duplicates=_relative(duplicates, size),
                      substituted=substituted)


def _relative(duplicates: list, size: int) -> list:
    from ..source import DuplicateKey

    return [DuplicateKey(d.object_path[size:], d.key, d.first_offset, d.offset) for d in duplicates]


def _name(file: str) -> str:
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def _directory(file: str) -> str:
    return posixpath.dirname(file.replace("\\", "/")) if file != "<stdin>" else ""


def _load_file(host: Host, expression: str, at: tuple, key: str | None, notes: list[Note], service: str):
    """(file, document, value, path) that `${file(path)[:key.path]}` includes; a missing
    file or key becomes a note. The path is relative to the service directory, as the
    Serverless Framework resolves it (lib/configuration/variables/sources/file.js:
    path.resolve(serviceDir, ...)), also inside an included file. Projects written for
    the other reading (relative to the included file) still work: when only that file
    exists it is read, with a warning (ASL019)."""
    match = _FILE.match(expression)
    if match is None:
        return None
    reference = match.group(1).strip().strip("'\"")
    role = ".".join(str(part) for part in at) or None  # stepFunctions.stateMachines, ...
    resolved = reference if posixpath.isabs(reference) else posixpath.normpath(posixpath.join(service, reference))
    beside = host.relative(reference)
    if resolved != beside and not host.references.isfile(resolved) and host.references.isfile(beside):
        notes.append(Note("ASL019", f"${{file({reference})}} in {_name(host.file)} names a file the Serverless"
                          f" Framework looks for in the service directory ({resolved}), where there is none;"
                          f" asl-lint read {beside}, beside {_name(host.file)}, instead: write the path relative to"
                          " the service directory", host.file, host.span(at), key))
        resolved = beside
    loaded = host.load_reference(reference, at, key, notes, "the file", f"{role} of {_name(host.file)}" if role else None,
                                 resolved)
    if loaded is None:
        return None
    file, document = loaded
    data: object = document.data
    prefix: tuple = ()
    for part in (match.group(2) or "").split(".") if match.group(2) else []:
        if not isinstance(data, dict) or part not in data:
            notes.append(Note("ASL009", f"'{part}' is not a key of {file}", host.file, host.span(at), key))
            return None
        data, prefix = data[part], prefix + (part,)
    return file, document, data, prefix


class _TooLarge(Exception):
    """Substitutions would build the definition past Step Functions' limit."""


def _resolve(data: object, root: object, substituted: dict | None = None) -> tuple[object, list[tuple[str, tuple]]]:
    """Replace resolvable ${self:...} and ${opt:x, 'default'} in place; list the hopeless.
    What the substitutions add is counted as it is added: `${self:custom.big}` (a list
    of 20,000 items) in 1,200 states raises _TooLarge at the limit instead of building
    24 million values."""
    unresolved: list[tuple[str, tuple]] = []
    budget = 2 * MAX_DEFINITION_CHARACTERS
    sizes: dict[int, int] = {}
    for path, value in list(walk(data)):
        if not isinstance(value, str) or "${" not in value:
            continue
        new = _substitute(value, root, path, unresolved)
        if new is not value:
            if isinstance(new, str):
                added = len(new)
            else:
                if id(new) not in sizes:
                    sizes[id(new)] = built_size(new, budget)
                added = sizes[id(new)]
            budget -= added
            if budget < 0:
                raise _TooLarge
            _set(data, path, new)
            if substituted is not None:
                substituted[path] = value
    return data, unresolved


def _substitute(text: str, root: object, path: tuple, unresolved: list) -> object:
    whole = _VARIABLE.fullmatch(text.strip())
    if whole:
        found = _lookup(whole.group(1), root)
        if found is _MISSING:
            _note_unresolved(whole.group(1), path, unresolved)
        return text if found is _MISSING or found is _DEFERRED else found
    def replace(match: re.Match) -> str:
        found = _lookup(match.group(1), root)
        if found is _MISSING:
            _note_unresolved(match.group(1), path, unresolved)
        if found is _MISSING or found is _DEFERRED or isinstance(found, (dict, list)):
            return match.group(0)
        return str(found)
    return _VARIABLE.sub(replace, text)


_MISSING = object()
_DEFERRED = object()


def _lookup(expression: str, root: object) -> object:
    """The value a Serverless variable stands for, when this file alone can tell."""
    first, _, fallback = expression.partition(",")
    first = first.strip()
    if first.startswith("self:"):
        value: object = root
        for part in first[5:].split("."):
            if not isinstance(value, dict) or part not in value:
                value = _MISSING
                break
            value = value[part]
        if isinstance(value, str) and "${" in value:
            return _DEFERRED  # itself a variable: known when deploying
        if value is not _MISSING:
            return value
    if fallback.strip():
        default = fallback.strip()
        if len(default) >= 2 and default[0] == default[-1] and default[0] in "'\"":
            return default[1:-1]
        try:
            return json.loads(default)  # an unquoted default keeps its type: 60, true
        except ValueError:
            return _MISSING
    return _MISSING


def _note_unresolved(expression: str, path: tuple, unresolved: list) -> None:
    name = expression.partition(",")[0].strip()
    if name.startswith("self:") and not name.startswith(_DEPLOY_TIME):
        unresolved.append((expression.strip(), path))


def _set(data: object, path: tuple, value: object) -> None:
    target = data
    for part in path[:-1]:
        target = target[part]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]


__all__ = ["extract", "looks_like_serverless"]
