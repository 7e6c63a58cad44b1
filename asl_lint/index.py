"""The facts of one definition that rules read, found in one walk over its states.

Rules used to find the same things again each (every Catcher, every error name, every
string of a payload template), each with a loop over the states and a call per state. The
index finds them once, in flat lists, in the definition's order; a rule reads the list it
needs. What costs more to compute (parsed paths, intrinsic calls, JSONata expressions)
stays in views built on first use (RuleContext.shared), over these lists.

    for handler in ctx.index.handlers:          # every Retry and Catch entry
        if "States.ALL" in handler.names and len(handler.names) > 1: ...
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .lang.fields import (
    CHOICE_PATH_OPERATORS, FAIL_PATHS, NESTED_REFERENCE_PATHS, PATH_FIELDS, REFERENCE_PATH_FIELDS, RESULT_STATES,
    TEMPLATE_FIELDS, Site, catchers, choice_rules, get, jsonata_sites,
)
from .model import State, Transition, strings_of, transitions


@dataclass(slots=True)
class Handler:
    """One Retry or Catch entry that has an ErrorEquals list."""

    state: State
    field: str  # "Retry" | "Catch"
    index: int  # in its list
    data: dict
    path: tuple  # of its ErrorEquals
    names: list[str | None]  # the error names; an item that is no string is None


@dataclass(slots=True)
class ChoiceRule:
    state: State
    path: tuple
    data: dict
    top: bool  # a rule of Choices itself, not one nested in And, Or or Not


@dataclass(slots=True)
class PayloadString:
    """A string in a payload template of a JSONPath state (Parameters, ResultSelector,
    ItemSelector, Result, Assign and the templates of ItemReader, ResultWriter, ItemBatcher
    and Credentials) that reads like an expression: a path or variable (`$...`), an
    intrinsic function (`States....`) or JSONata (`{%...`). Found by one walk that every
    rule about such strings reads; plain text ("fn-0", "fast") is walked over, not kept:
    no rule asks about it, and it is most of what payloads hold."""

    state: State
    root: tuple  # the field it is in, from the state: ("Parameters",), ("ItemReader", "Parameters")
    path: tuple
    text: str
    parent: object  # the object or list that holds it; None for a field that is a string itself
    evaluated: bool  # under (or at) a `name.$` key: a path or intrinsic, not text


# How the strings a payload keeps begin (PayloadString).
EXPRESSION_STARTS = ("$", "States.", "{%")


# The roots of payload strings, in the order rules look at them.
PAYLOAD_ROOTS = (*TEMPLATE_FIELDS, ("Result",), ("Assign",))
_PAYLOAD_KEYS = frozenset(root[0] for root in PAYLOAD_ROOTS)
_HANDLER_FIELDS = ("Retry", "Catch")
_HANDLER_KEYS = frozenset(_HANDLER_FIELDS)
# Top-level fields of a state that hold a path, and their kind: one lookup per field the
# state has, instead of a probe per field the language has.
_PATH_KINDS = {**{name: "path" for name in PATH_FIELDS},
               **{name: "result" if name == "ResultPath" else "reference" for name in REFERENCE_PATH_FIELDS}}
_CHOICE_PATHS = frozenset(("Variable", *CHOICE_PATH_OPERATORS))
_NESTED_ROOTS = frozenset(keys[0] for keys in NESTED_REFERENCE_PATHS)
_TEMPLATE_ROOTS = frozenset(keys[0] for keys in TEMPLATE_FIELDS)


@dataclass
class DefinitionIndex:
    states_by_type: dict[str | None, list[State]] = field(default_factory=dict)  # None: no string Type
    handlers: list[Handler] = field(default_factory=list)
    choice_rules: list[ChoiceRule] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    path_sites: list[tuple[Site, str]] = field(default_factory=list)  # JSONPath states: (site, kind)
    template_sites: list[tuple[Site, str]] = field(default_factory=list)  # JSONPath states: (site, `name.$` key)
    jsonata_sites: list[Site] = field(default_factory=list)  # JSONata states
    payload_strings: list[PayloadString] = field(default_factory=list)

    @classmethod
    def of(cls, states: list[State]) -> DefinitionIndex:
        index = cls()
        by_type = index.states_by_type
        for state in states:
            kind = state.type if isinstance(state.type, str) else None  # `"Type": [...]` is the schema's to report
            by_type.setdefault(kind, []).append(state)
            _index_state(state, kind, index)
        return index

    def states_of_type(self, *types: str) -> list[State]:
        if len(types) == 1:
            return self.states_by_type.get(types[0], [])
        return [state for kind in types for state in self.states_by_type.get(kind, ())]


def _index_state(state: State, kind: str | None, index: DefinitionIndex) -> None:
    """Everything the index keeps of one state. Its transitions and Catchers are the views
    model and lang.fields keep of it, which the graph and other rules read too."""
    data, base = state.data, state.path
    found = transitions(state)
    if found:
        index.transitions += found
    rules = choice_rules(state) if kind == "Choice" else ()
    if rules:
        index.choice_rules += [ChoiceRule(state, path, rule, top) for path, rule, top in rules]
    if not _HANDLER_KEYS.isdisjoint(data):
        for field_name in _HANDLER_FIELDS:
            entries = data.get(field_name)
            if not isinstance(entries, list):
                continue
            for position, entry in enumerate(entries):
                if isinstance(entry, dict) and isinstance(entry.get("ErrorEquals"), list):
                    index.handlers.append(Handler(state, field_name, position, entry,
                                                  base + (field_name, position, "ErrorEquals"),
                                                  strings_of(entry["ErrorEquals"])))
    if state.query_language != "JSONPath":
        index.jsonata_sites += jsonata_sites(state)
        return
    caught = catchers(state) if "Catch" in data else ()
    _path_sites(state, data, base, rules, caught, index.path_sites)
    if rules or caught or "Assign" in data or not _TEMPLATE_ROOTS.isdisjoint(data):  # where templates can be
        _template_sites(state, data, base, kind, rules, caught, index.template_sites)
    if not _PAYLOAD_KEYS.isdisjoint(data):
        _payload_strings(state, index.payload_strings)


def _path_sites(state: State, data: dict, base: tuple, rules: list, catchers: list,
                found: list[tuple[Site, str]]) -> None:
    """JSONPath path fields with their kind: "path", "reference", "result" or "fail"."""
    for name in data:
        if name in _PATH_KINDS and isinstance(value := data[name], str):
            found.append((Site(base + (name,), value, state), _PATH_KINDS[name]))
    if not _NESTED_ROOTS.isdisjoint(data):
        for keys in NESTED_REFERENCE_PATHS:
            if keys[0] in data and isinstance(value := get(data, keys), str):
                found.append((Site(base + keys, value, state), "reference"))
    if state.type == "Fail":
        for name in FAIL_PATHS:
            if isinstance(data.get(name), str):
                found.append((Site(base + (name,), data[name], state), "fail"))
    for path, catcher in catchers:
        if isinstance(catcher.get("ResultPath"), str):
            found.append((Site(path + ("ResultPath",), catcher["ResultPath"], state, "error"), "result"))
    for path, rule, _ in rules:
        for name, value in rule.items():
            if name in _CHOICE_PATHS and isinstance(value, str):
                found.append((Site(path + (name,), value, state), "reference"))


def _template_sites(state: State, data: dict, base: tuple, kind: str | None, rules: list, catchers: list,
                    found: list[tuple[Site, str]]) -> None:
    """Every `name.$` member of a payload template or an Assign: (site, key)."""
    roots: list[tuple[tuple, object, str, bool]] = []
    if not _TEMPLATE_ROOTS.isdisjoint(data):
        for keys in TEMPLATE_FIELDS:
            if keys[0] not in data:
                continue
            value = data[keys[0]] if len(keys) == 1 else get(data, keys)
            if value is not None:
                item = keys[0] == "ItemSelector" or (keys == ("Parameters",) and kind == "Map")
                roots.append((base + keys, value, "result" if keys[0] == "ResultSelector" else "input", item))
    if isinstance(data.get("Assign"), dict):
        roots.append((base + ("Assign",), data["Assign"], "result" if kind in RESULT_STATES else "input", False))
    for path, rule, top in rules:
        if top and isinstance(rule.get("Assign"), dict):
            roots.append((path + ("Assign",), rule["Assign"], "input", False))
    for path, catcher in catchers:
        if isinstance(catcher.get("Assign"), dict):
            roots.append((path + ("Assign",), catcher["Assign"], "error", False))
    for root, value, sees, item in roots:
        stack = [(root, value)]
        while stack:
            path, node = stack.pop()
            if type(node) is dict:
                for key, child in node.items():
                    if key.endswith(".$"):
                        found.append((Site(path + (key,), child, state, sees, item), key))
                    elif type(child) is dict or type(child) is list:  # only containers hold more
                        stack.append((path + (key,), child))
            elif type(node) is list:
                stack.extend((path + (i,), child) for i, child in enumerate(node)
                             if type(child) is dict or type(child) is list)


def _payload_strings(state: State, found: list[PayloadString]) -> None:
    """Depth first, last member first (as lang.fields.strings_below walks), so that a rule
    that reports the first string of a field reports the one it always has. A string is
    taken where it is met; only containers are stacked, each with what is left of it."""
    data = state.data
    for root in PAYLOAD_ROOTS:
        if root[0] not in data:
            continue
        value = data[root[0]] if len(root) == 1 else get(data, root)
        if type(value) is str:
            if value.startswith(EXPRESSION_STARTS):
                found.append(PayloadString(state, root, state.path + root, value, None, False))
            continue
        if type(value) is not dict and type(value) is not list:
            continue
        stack = [(state.path + root, value, False, _last_first(value))]
        while stack:
            at, node, evaluated, members = stack[-1]
            for key, child in members:
                kind = type(child)
                if kind is str:
                    if child.startswith(EXPRESSION_STARTS):
                        found.append(PayloadString(state, root, at + (key,), child, node,
                                                   evaluated or (type(key) is str and key.endswith(".$"))))
                elif kind is dict or kind is list:
                    stack.append((at + (key,), child, evaluated or (type(key) is str and key.endswith(".$")),
                                  _last_first(child)))
                    break  # the child first; the rest of this container after it
            else:
                stack.pop()


def _last_first(container: dict | list) -> Iterator[tuple[object, object]]:
    """(key or position, value) of a container's members, last member first."""
    if type(container) is dict:
        return reversed(container.items())
    return zip(range(len(container) - 1, -1, -1), reversed(container))
