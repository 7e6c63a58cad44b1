"""Where a state evaluates what: paths, payload templates, JSONata expressions, Assign.

Rules ask these helpers for the sites they check instead of re-deriving the field matrix
of the language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar

from ..model import State

T = TypeVar("T")

PATH_FIELDS = ("InputPath", "OutputPath")
REFERENCE_PATH_FIELDS = (
    "ResultPath", "ItemsPath", "SecondsPath", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath",
    "MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath",
)
NESTED_REFERENCE_PATHS = (
    (("ItemReader", "ReaderConfig", "MaxItemsPath")),
    (("ItemBatcher", "MaxItemsPerBatchPath")),
    (("ItemBatcher", "MaxInputBytesPerBatchPath")),
)
FAIL_PATHS = ("ErrorPath", "CausePath")  # reference paths, or intrinsics returning strings
CHOICE_PATH_OPERATORS = tuple(
    f"{family}{op}Path"
    for family in ("String", "Numeric", "Timestamp")
    for op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
) + ("BooleanEqualsPath",)
# Payload templates: objects whose `name.$` keys are evaluated (JSONPath states).
TEMPLATE_FIELDS = (("Parameters",), ("ResultSelector",), ("ItemSelector",), ("ItemReader", "Parameters"),
                   ("ResultWriter", "Parameters"), ("ItemBatcher", "BatchInput"), ("Credentials",))
# Fields whose strings JSONata states evaluate.
JSONATA_FIELDS = (
    ("Arguments",), ("Output",), ("Assign",), ("Items",), ("ItemSelector",), ("Seconds",), ("Timestamp",),
    ("TimeoutSeconds",), ("HeartbeatSeconds",), ("MaxConcurrency",), ("ToleratedFailureCount",),
    ("ToleratedFailurePercentage",), ("Error",), ("Cause",), ("Credentials",), ("ItemReader", "Arguments"),
    ("ItemReader", "ReaderConfig", "MaxItems"), ("ItemBatcher", "MaxItemsPerBatch"),
    ("ItemBatcher", "MaxInputBytesPerBatch"), ("ItemBatcher", "BatchInput"), ("ResultWriter", "Arguments"),
)
RESULT_STATES = ("Task", "Map", "Parallel")


@dataclass(slots=True)
class Site:
    """One evaluated value: where it is, in which state, and what it can see."""

    path: tuple
    value: object
    state: State
    # What the JSONata `$states` or the JSONPath `$` of an Assign means here:
    # "result" (Output/Assign of Task, Map, Parallel), "error" (a Catcher), or "input".
    sees: str = "input"
    map_item: bool = False  # $$.Map.Item is populated (ItemSelector, legacy Map Parameters)


def per_state(function: Callable[[State], Iterable[T]]) -> Callable[[State], list[T]]:
    """`function`'s items for a state, computed once: several rules read the same sites."""
    name = function.__name__

    @wraps(function)
    def cached(state: State) -> list[T]:
        found = state.views.get(name)  # not try/except: each view misses once per state, and a raise costs
        if found is None:
            found = state.views[name] = list(function(state))
        return found

    return cached


def get(data: object, keys: tuple) -> object:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def strings_below(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    stack = [(path, value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))


def choice_rules(state: State) -> list[tuple[tuple, dict, bool]]:
    """(path, rule, top level) for every Choice rule, nested And/Or/Not rules included."""
    if state.type != "Choice":  # asked of every state by several rules: no view to build
        return []
    return _choice_rules(state)


@per_state
def _choice_rules(state: State) -> Iterator[tuple[tuple, dict, bool]]:
    choices = state.data.get("Choices")
    if not isinstance(choices, list):
        return
    stack = [(state.path + ("Choices", i), rule, True) for i, rule in enumerate(choices)]
    while stack:
        path, rule, top = stack.pop()
        if not isinstance(rule, dict):
            continue
        yield path, rule, top
        for key in ("And", "Or"):
            if isinstance(rule.get(key), list):
                stack.extend((path + (key, i), sub, False) for i, sub in enumerate(rule[key]))
        if isinstance(rule.get("Not"), dict):
            stack.append((path + ("Not",), rule["Not"], False))


@per_state
def catchers(state: State) -> Iterator[tuple[tuple, dict]]:
    catch = state.data.get("Catch")
    if isinstance(catch, list):
        for index, catcher in enumerate(catch):
            if isinstance(catcher, dict):
                yield state.path + ("Catch", index), catcher


def may_assign(state: State) -> bool:
    """Whether the state can have an Assign (its own, a Choice rule's, a Catcher's): most
    states have none, and asking is cheaper than building an empty view."""
    return "Assign" in state.data or "Catch" in state.data or state.type == "Choice"


@per_state
def assign_sites(state: State) -> Iterator[tuple[tuple, dict, str]]:
    """(path, Assign object, what `$`/$states sees) for the state, its Choice rules, its Catchers."""
    if isinstance(state.data.get("Assign"), dict):
        yield state.path + ("Assign",), state.data["Assign"], "result" if state.type in RESULT_STATES else "input"
    for path, rule, top in choice_rules(state):
        if top and isinstance(rule.get("Assign"), dict):
            yield path + ("Assign",), rule["Assign"], "input"
    for path, catcher in catchers(state):
        if isinstance(catcher.get("Assign"), dict):
            yield path + ("Assign",), catcher["Assign"], "error"


@per_state
def jsonata_sites(state: State) -> Iterator[Site]:
    """Every string a JSONata state evaluates, with what `$states` offers there."""
    data = state.data
    for keys in JSONATA_FIELDS:
        value = get(data, keys)
        if value is None:
            continue
        sees = "result" if keys in (("Output",), ("Assign",)) and state.type in RESULT_STATES else "input"
        item = keys == ("ItemSelector",)
        for path, text in strings_below(value, state.path + keys):
            yield Site(path, text, state, sees, item)
    for path, rule, top in choice_rules(state):
        for key in ("Condition", "Output", "Assign"):
            if key in rule and top:
                for sub, text in strings_below(rule[key], path + (key,)):
                    yield Site(sub, text, state)
    for path, catcher in catchers(state):
        for key in ("Output", "Assign"):
            if key in catcher:
                for sub, text in strings_below(catcher[key], path + (key,)):
                    yield Site(sub, text, state, "error")
