"""Values known only at deploy time, found in a definition's plain data."""

from __future__ import annotations

import re
from collections.abc import Iterator

# ${Name} (DefinitionSubstitutions, Fn::Sub, Serverless variables) and #{AWS::Region}
# (serverless-pseudo-parameters); a JSONata expression is not a placeholder.
PLACEHOLDER = re.compile(r"\$\{[^{}]*\}|#\{[^{}\s]*\}")
SUBSTITUTION = re.compile(r"\$\{([^{}]*)\}")


def is_intrinsic(value: object) -> bool:
    """A CloudFormation intrinsic function object such as {"Fn::GetAtt": [...]} or {"Ref": x}."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key,) = value
    return key == "Ref" or (isinstance(key, str) and key.startswith("Fn::"))


def walk(value: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    """Every (path, value) below `value`, intrinsic objects as leaves; no recursion limit."""
    stack = [(path, value)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if is_intrinsic(value):
            continue
        if isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))


# What a text holding a placeholder or an intrinsic must contain; "!" for the YAML short
# forms (`!GetAtt`, `!Sub`), which the reader turns into `Fn::` objects.
_MARKS = ("${", "#{", "Fn::", "Ref", "!")
# In JSON an intrinsic is an object with a key "Ref" or "Fn::...": "Ref" in a word
# ("Refund") or a "!" in a message marks nothing there.
_JSON_MARKS = ("${", "#{", "Fn::", '"Ref"')


def placeholder_paths(data: object, text: str | None = None, json_text: bool = False) -> set[tuple]:
    """Paths whose value is not known until deploy time. `text`, when given, is what the
    data was read from (`json_text`: as JSON): without any mark of a placeholder in it there
    is nothing to find."""
    if text is not None and not any(mark in text for mark in (_JSON_MARKS if json_text else _MARKS)):
        return set()
    found: set[tuple] = set()
    if not isinstance(data, (dict, list)) or is_intrinsic(data):
        return found  # a value of its own: the extractor judges it whole
    # The walk of `walk`, without a path made for each value: only for containers and for
    # what is found (a check reads every definition that has a `${` somewhere).
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(item, str):
                if ("${" in item or "#{" in item) and not item.startswith("{%") and PLACEHOLDER.search(item):
                    found.add(path + (key,))
            elif isinstance(item, (dict, list)):
                if is_intrinsic(item):
                    found.add(path + (key,))
                else:
                    stack.append((path + (key,), item))
    return found


def substitution_uses(data: object) -> dict[str, list[tuple]]:
    """`${Name}` tokens in string values: name -> paths that use it."""
    uses: dict[str, list[tuple]] = {}
    for path, value in walk(data):
        if isinstance(value, str) and "${" in value:
            for name in SUBSTITUTION.findall(value):
                uses.setdefault(name, []).append(path)
    return uses
