"""Completion: what may be written where the cursor is.

Read from the engine's model of the document (of the last text that parsed, while the text
being typed does not): the state names of the cursor's scope after `Next`, `Default` and
`StartAt`; the fields of the state's type and query language that it does not have yet;
`Type` and `QueryLanguage` values; `Resource` ARNs of the optimized integrations and of
every `aws-sdk` service and action AWS's models know; intrinsic functions; JSONata's
`$states` members and the variables the machine assigns; a snippet for each kind of state
where a new state may go. Items are plain data: {label, kind, detail, text, snippet,
replace (characters before the cursor the item replaces)}.
"""

from __future__ import annotations

import re

from .. import apis
from ..lang.intrinsics import FUNCTIONS
from ..model import QUERY_LANGUAGES, STATE_TYPES
from ..rules.tasks._resources import OPTIMIZED_ACTIONS

_JSON_VALUE = re.compile(r'"(?P<key>[A-Za-z]+)"\s*:\s*"(?P<typed>[^"]*)$')
_YAML_VALUE = re.compile(r'^\s*(?:-\s+)?(?P<key>[A-Za-z]+)\s*:\s*["\']?(?P<typed>[^"\'#]*)$')
_JSON_KEY = re.compile(r'(?:^|[{,])\s*"(?P<typed>[A-Za-z]*)$')
_YAML_KEY = re.compile(r'^(?P<indent>\s*)(?P<typed>[A-Za-z]*)$')
_INTRINSIC = re.compile(r"(?P<typed>States\.[A-Za-z]*)$")
_STATES_MEMBER = re.compile(r"\$states\.(?P<typed>[A-Za-z]*)$")
_VARIABLE = re.compile(r"\$(?P<typed>[A-Za-z_][A-Za-z0-9_]*)?$")
_TRANSITION_KEYS = ("Next", "Default", "StartAt")
_VALUE_KEYS = (*_TRANSITION_KEYS, "Type", "QueryLanguage", "Resource")
STATES_MEMBERS = {"input": "the state's input", "result": "the Task's, Map's or Parallel's result",
                  "errorOutput": "the error a Catcher caught", "context": "the context object"}
_SNIPPET_FIELDS = {
    "Task": '"Type": "Task", "Resource": "${2:arn:aws:states:::lambda:invoke}", "Next": "$3"',
    "Pass": '"Type": "Pass", "Next": "$2"',
    "Choice": '"Type": "Choice", "Choices": [{"Condition": "{% $3 %}", "Next": "$4"}], "Default": "$2"',
    "Wait": '"Type": "Wait", "Seconds": ${2:10}, "Next": "$3"',
    "Parallel": '"Type": "Parallel", "Branches": [{"StartAt": "$3", "States": {}}], "Next": "$2"',
    "Map": '"Type": "Map", "ItemProcessor": {"StartAt": "$3", "States": {}}, "Next": "$2"',
    "Succeed": '"Type": "Succeed"',
    "Fail": '"Type": "Fail", "Error": "${2:Error}", "Cause": "$3"',
}


def complete(request: dict, model: list, lines) -> list[dict]:
    """`model`: (definition, RuleContext) of the document (or of its last text that parsed);
    `lines`: analysis.Lines of the text being typed."""
    text, encoding = request["text"], request["encoding"]
    offset = lines.offset(request["position"], encoding)
    before = text[text.rfind("\n", 0, offset) + 1:offset]
    yaml_text = request["path"].lower().endswith((".yaml", ".yml"))
    path = yaml_path_at(text, request["position"]["line"]) if yaml_text else json_path_at(text, offset)
    state, scope, nested = _where(model, path)
    for pattern, found in ((_INTRINSIC, _functions), (_STATES_MEMBER, _states_members)):
        match = pattern.search(before)
        if match:
            return found(match["typed"])
    value = (_YAML_VALUE if yaml_text else _JSON_VALUE).search(before)
    if value and value["key"] in _VALUE_KEYS:
        return _values(value["key"], value["typed"], scope)
    variable = _VARIABLE.search(before)
    if variable and ("{%" in before or '"$' in before or ": $" in before):
        return _variables(variable["typed"] or "", model, scope)
    key = (_YAML_KEY if yaml_text else _JSON_KEY).search(before)
    if key is None:
        return []
    if state is not None and not nested:
        return _fields(key["typed"], state)
    if state is not None and path[-1:] in (("Parameters",), ("Arguments",)) and _matches(path[:-1], state.path):
        return _request_members(key["typed"], state)
    if scope is not None and state is None:
        return _snippets(key["typed"], yaml_text, key.groupdict().get("indent") or "")
    return []


def _where(model: list, path: tuple):
    """(the state whose object holds the cursor, the scope whose `States` or own object holds
    it, whether the cursor is deeper inside the state than its own fields), from the path
    of containers the cursor is in (None for an index not known). A template's definition
    is found by the end of that path."""
    best = None  # (length matched, state or None, scope, nested)
    for _, ctx in model:
        for state in ctx.states:
            for length in range(len(state.path), len(path) + 1):
                if _matches(path[:length], state.path):
                    nested = length < len(path)
                    if best is None or len(state.path) > best[0]:
                        best = (len(state.path), state, state.scope, nested)
        for scope in ctx.scopes:
            for candidate in (scope.path + ("States",), scope.path):
                if _matches(path, candidate) and (best is None or len(candidate) > best[0]):
                    best = (len(candidate), None, scope, False)
    if best is None:
        return None, None, False
    return best[1], best[2], best[3]


def _matches(path: tuple, wanted: tuple) -> bool:
    """Whether `path` ends with `wanted` (None in `path` matches any index)."""
    if len(path) < len(wanted):
        return False
    tail = path[len(path) - len(wanted):] if wanted else ()
    return all(have is None or have == want for have, want in zip(tail, wanted)) and (bool(wanted) or not path)


def json_path_at(text: str, offset: int) -> tuple:
    """The keys and indexes of the JSON containers open at `offset`, read from the text
    itself (it need not parse: this is a text being typed)."""
    stack: list[list] = []  # [kind, key or index]
    key = None
    string_start = -1
    last_string = None
    at = 0
    while at < offset:
        char = text[at]
        if string_start >= 0:
            if char == "\\":
                at += 2
                continue
            if char == '"':
                last_string, string_start = text[string_start + 1:at], -1
        elif char == '"':
            string_start = at
        elif char == ":":
            key = last_string
        elif char in "{[":
            stack.append([char, key if stack and stack[-1][0] == "{" else (stack[-1][1] if stack else None)])
            if stack[-1][0] == "[":
                stack[-1].append(0)
            key = None
        elif char in "}]":
            if stack:
                stack.pop()
            key = None
        elif char == ",":
            key = None
            if stack and stack[-1][0] == "[":
                stack[-1][2] += 1
        at += 1
    path: list = []
    for index, (kind, *rest) in enumerate(stack):
        if index == 0:
            continue
        parent = stack[index - 1]
        path.append(parent[2] if parent[0] == "[" else rest[0])
    return tuple(path)


_YAML_LINE = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[^\s:#'\"][^:#]*?|'[^']*'|\"[^\"]*\")\s*:(?:\s|$)")


def yaml_path_at(text: str, line: int) -> tuple:
    """The keys of the YAML mappings that hold 0-based `line`, by indentation (an item of a
    list is an index not known: None)."""
    rows = text.splitlines()
    current = rows[line] if line < len(rows) else ""
    limit = len(current) - len(current.lstrip(" "))
    path: list = []
    for row in reversed(rows[:line]):
        if not row.strip() or row.lstrip().startswith("#"):
            continue
        indent = len(row) - len(row.lstrip(" "))
        if indent >= limit:
            continue
        found = _YAML_LINE.match(row)
        if found is None:
            continue
        key = found["key"].strip("'\"")
        if found["dash"] and indent + len(found["dash"]) >= limit:
            path.insert(0, None)  # the item holds the cursor, beside its first key
        elif found["dash"]:
            path[:0] = [None, key]
        else:
            path.insert(0, key)
        limit = indent
        if indent == 0:
            break
    return tuple(path)


def _item(label: str, kind: str, detail: str, typed: str, text: str | None = None, snippet: bool = False) -> dict:
    return {"label": label, "kind": kind, "detail": detail, "text": text if text is not None else label,
            "snippet": snippet, "replace": len(typed)}


def _values(key: str, typed: str, scope) -> list[dict]:
    if key in _TRANSITION_KEYS and scope is not None:
        return [_item(name, "state", f"a {state.get('Type', '?')} state of {scope.label}", typed)
                for name, state in scope.states.items() if name.startswith(typed)]
    if key == "Type":
        return [_item(kind, "value", "state type", typed) for kind in STATE_TYPES if kind.startswith(typed)]
    if key == "QueryLanguage":
        return [_item(language, "value", "query language", typed) for language in QUERY_LANGUAGES
                if language.startswith(typed)]
    if key == "Resource":
        return _resources(typed)
    return []


def _resources(typed: str) -> list[dict]:
    prefix = "arn:aws:states:::"
    found = []
    sdk = re.match(r"arn:aws:states:::aws-sdk:(?P<service>[a-z0-9-]+):", typed)
    if sdk:
        model = apis.service(sdk["service"])
        for action in sorted(model.operations) if model is not None else ():
            arn = f"{prefix}aws-sdk:{sdk['service']}:{action}"
            if arn.startswith(typed):
                found.append(_item(arn, "value", f"{sdk['service']} {action} (AWS SDK integration)", typed))
        return found
    optimized = {(service, action) for service, actions in OPTIMIZED_ACTIONS.items() for action in actions}
    for service, action in sorted(optimized | set(apis.OPTIMIZED_REQUESTS)):
        arn = f"{prefix}{service}:{action}"
        if arn.startswith(typed):
            found.append(_item(arn, "value", "optimized integration", typed))
    for service in sorted(apis.service_names()):
        arn = f"{prefix}aws-sdk:{service}:"
        if arn.startswith(typed) or typed.startswith(arn[:-1]):
            found.append(_item(arn, "module", f"{service} (AWS SDK integration): an action follows", typed))
    return found


def _fields(typed: str, state) -> list[dict]:
    from ..schemas import asl_schema

    definitions = asl_schema()["$defs"]
    kind = state.type if isinstance(state.type, str) else None
    properties = definitions.get(f"{state.query_language}.{kind}", {}).get("properties") if kind else None
    names = list(properties) if properties else ["Type", "Comment", "QueryLanguage"]
    return [_item(name, "field", f"a field of a {state.query_language} {kind or ''} state".replace("  ", " "), typed)
            for name in names if name.startswith(typed) and name not in state.data]


_RESOURCE = re.compile(r"^arn:aws[a-z-]*:states:[^:]*:[^:]*:(?P<sdk>aws-sdk:)?(?P<service>[a-z0-9-]+):"
                       r"(?P<action>[A-Za-z0-9]+)")


def _request_members(typed: str, state) -> list[dict]:
    """The members of the request of the API a Task calls (AWS's models), required first."""
    resource = state.data.get("Resource")
    found = _RESOURCE.match(resource) if isinstance(resource, str) else None
    if found is None:
        return []
    service, action = found["service"], found["action"]
    if not found["sdk"]:
        if (service, action) not in apis.OPTIMIZED_REQUESTS:
            return []
        service, action = apis.OPTIMIZED_REQUESTS[(service, action)]
    model = apis.service(service)
    operation = model.operations.get(action) if model is not None else None
    shape = model.shapes.get(operation[0]) if operation and operation[0] else None
    if not isinstance(shape, list) or not isinstance(shape[0], dict):
        return []
    required = set(shape[1]) if len(shape) > 1 and isinstance(shape[1], list) else set()
    request = state.data.get(_request_field(state))
    written = {key.removesuffix(".$") for key in request if isinstance(key, str)} if isinstance(request, dict) else set()
    items = []
    for name in sorted(shape[0], key=lambda member: (member not in required, member)):
        spelled = apis.step_functions_member(name)
        if spelled.startswith(typed) and spelled not in written:
            need = "required" if name in required else "optional"
            items.append(_item(spelled, "field", f"{need}: a member of the {service}:{action} request", typed))
    return items


def _request_field(state) -> str:
    return "Arguments" if state.query_language == "JSONata" else "Parameters"


def _snippets(typed: str, yaml_text: bool, indent: str) -> list[dict]:
    found = []
    for kind, fields in _SNIPPET_FIELDS.items():
        if yaml_text:
            body = fields.replace('"', "").replace(", ", f"\n{indent}  ").replace(": [{", ":\n" + indent + "    - {")
            text = f"${{1:{kind}State}}:\n{indent}  {body}"
        else:
            text = f'${{1:{kind}State}}": {{{fields}}}'
        found.append(_item(f"{kind} state", "snippet", f"a new {kind} state", typed, text, snippet=True))
    return found


def _functions(typed: str) -> list[dict]:
    return [_item(name, "function", f"intrinsic function, {signature.minimum} to "
                  f"{'any' if signature.maximum is None else signature.maximum} arguments", typed)
            for name, signature in FUNCTIONS.items() if name.startswith(typed)]


def _states_members(typed: str) -> list[dict]:
    return [_item(name, "field", what, typed) for name, what in STATES_MEMBERS.items() if name.startswith(typed)]


def _variables(typed: str, model: list, scope) -> list[dict]:
    """The variables assigned in the cursor's scope and the scopes around it (a Parallel
    branch or a Map processor sees those; the scopes inside it are its own)."""
    names: dict[str, None] = {}
    here = scope.path if scope is not None else ()
    for _, ctx in model:
        for state in ctx.states:
            if state.scope.path != here[:len(state.scope.path)]:
                continue
            for assign in (state.data.get("Assign"),):
                if isinstance(assign, dict):
                    names.update(dict.fromkeys(key.removesuffix(".$") for key in assign if isinstance(key, str)))
    found = [_item(name, "variable", "a variable the state machine assigns", typed)
             for name in names if name.startswith(typed)]
    if "states".startswith(typed):
        found.append(_item("states", "variable", "JSONata: the state's input, result, error and context", typed))
    return found
