"""State machines in Serverless Framework files (serverless-step-functions plugin)."""

from __future__ import annotations

import copy
import json
import re

from ..context import Definition
from ..source import PrefixedSourceMap
from .base import Extraction, Host, Note, shape_problem
from .placeholders import placeholder_paths, walk

_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
_FILE = re.compile(r"^\s*file\(([^)]+)\)\s*(?::\s*([\w.\-]+))?\s*$")
_WHOLE_FILE = re.compile(r"^\$\{\s*file\([^)]+\)[^{}]*\}$")
# Sources only known when deploying; their variables are placeholders, never warnings.
_DEPLOY_TIME = ("opt:", "sls:", "env:", "aws:", "ssm:", "cf:", "s3:", "param:", "self:provider.stage", "sm:")


def looks_like_serverless(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("stepFunctions"), dict)


def extract(host: Host) -> Extraction:
    result = Extraction("serverless")
    functions = host.document.data.get("stepFunctions")  # type: ignore[union-attr]
    machines = functions.get("stateMachines") if isinstance(functions, dict) else None
    if not isinstance(machines, dict):
        return result
    for key, machine in machines.items():
        if not isinstance(machine, dict) or "definition" not in machine:
            continue
        path = ("stepFunctions", "stateMachines", key, "definition")
        definition = _definition(host, key, machine["definition"], path, result.notes)
        if definition is None:
            continue
        kind = machine.get("type")
        definition.machine = key
        definition.workflow_type = kind.upper() if isinstance(kind, str) else None
        result.definitions.append(definition)
    return result


def _definition(host: Host, key: str, value: object, path: tuple, notes: list[Note]) -> Definition | None:
    document, file, prefix = host.document, host.file, path
    data = value
    if isinstance(value, str) and _WHOLE_FILE.match(value.strip()):
        loaded = _load_file(host, value.strip()[2:-1], path, key, notes)
        if loaded is None:
            return None
        file, document, data, prefix = loaded
    elif not isinstance(value, dict):
        notes.append(Note("ASL008", f"state machine '{key}' cannot be checked here: its definition is not"
                          " a mapping or a ${file(...)} reference", host.file, host.span(path, "key"), key))
        return None
    resolved, unresolved = _resolve(copy.deepcopy(data), host.document.data)
    where = host.file.rsplit("/", 1)[-1]
    for name, at in unresolved:
        notes.append(Note("ASL009", f"Serverless variable '${{{name}}}' names no key of {where}",
                          file, document.sourcemap.span(prefix + at), key))
    size = len(prefix)
    duplicates = [d for d in document.duplicates if d.object_path[:size] == prefix]
    return Definition(resolved, file, PrefixedSourceMap(document.sourcemap, prefix),
                      placeholders=placeholder_paths(resolved), duplicates=_relative(duplicates, size))


def _relative(duplicates: list, size: int) -> list:
    from ..source import DuplicateKey

    return [DuplicateKey(d.object_path[size:], d.key, d.first_offset, d.offset) for d in duplicates]


def _load_file(host: Host, expression: str, at: tuple, key: str, notes: list[Note]):
    match = _FILE.match(expression)
    if match is None:
        return None
    reference = match.group(1).strip().strip("'\"")
    loaded = host.load_reference(reference, at, key, notes, "the file")
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
    problem = shape_problem(data)
    if problem is not None:
        where = f"{reference}:{match.group(2)}" if match.group(2) else reference
        notes.append(Note("ASL014", f"the definition of '{key}' in '{where}' {problem}", file,
                          document.sourcemap.span(prefix), key))
        return None
    return file, document, data, prefix


def _resolve(data: object, root: object) -> tuple[object, list[tuple[str, tuple]]]:
    """Replace resolvable ${self:...} and ${opt:x, 'default'} in place; list the hopeless."""
    unresolved: list[tuple[str, tuple]] = []
    for path, value in list(walk(data)):
        if not isinstance(value, str) or "${" not in value:
            continue
        new = _substitute(value, root, path, unresolved)
        if new is not value:
            _set(data, path, new)
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
