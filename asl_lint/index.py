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

from dataclasses import dataclass, field

from .lang.fields import TEMPLATE_FIELDS, Site, choice_rules, get, jsonata_sites, path_sites, template_sites
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
    and Credentials), found by one walk that every rule about such strings reads."""

    state: State
    root: tuple  # the field it is in, from the state: ("Parameters",), ("ItemReader", "Parameters")
    path: tuple
    text: str
    parent: object  # the object or list that holds it; None for a field that is a string itself
    evaluated: bool  # under (or at) a `name.$` key: a path or intrinsic, not text


# The roots of payload strings, in the order rules look at them.
PAYLOAD_ROOTS = (*TEMPLATE_FIELDS, ("Result",), ("Assign",))
_PAYLOAD_KEYS = frozenset(root[0] for root in PAYLOAD_ROOTS)
_HANDLER_FIELDS = ("Retry", "Catch")


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
        by_type, handlers = index.states_by_type, index.handlers
        for state in states:
            data = state.data
            kind = state.type if isinstance(state.type, str) else None  # `"Type": [...]` is the schema's to report
            by_type.setdefault(kind, []).append(state)
            index.transitions.extend(transitions(state))
            for field_name in _HANDLER_FIELDS:
                if field_name not in data:
                    continue
                for position, entry in state.entries(field_name):
                    if isinstance(entry.get("ErrorEquals"), list):
                        handlers.append(Handler(state, field_name, position, entry,
                                                state.path + (field_name, position, "ErrorEquals"),
                                                strings_of(entry["ErrorEquals"])))
            if kind == "Choice":
                index.choice_rules.extend(ChoiceRule(state, path, rule, top) for path, rule, top in choice_rules(state))
            if state.query_language == "JSONPath":
                index.path_sites.extend(path_sites(state))
                index.template_sites.extend(template_sites(state))
                if not _PAYLOAD_KEYS.isdisjoint(data):
                    _payload_strings(state, index.payload_strings)
            else:
                index.jsonata_sites.extend(jsonata_sites(state))
        return index

    def states_of_type(self, *types: str) -> list[State]:
        if len(types) == 1:
            return self.states_by_type.get(types[0], [])
        return [state for kind in types for state in self.states_by_type.get(kind, ())]


def _payload_strings(state: State, found: list[PayloadString]) -> None:
    """Depth first, last member first (as lang.fields.strings_below walks), so that a rule
    that reports the first string of a field reports the one it always has."""
    data = state.data
    for root in PAYLOAD_ROOTS:
        if root[0] not in data:
            continue
        value = get(data, root)
        stack: list[tuple[tuple, object, object, bool]] = [(state.path + root, value, None, False)]
        while stack:
            at, node, parent, evaluated = stack.pop()
            if type(node) is str:
                found.append(PayloadString(state, root, at, node, parent, evaluated))
            elif type(node) is dict:
                stack.extend((at + (key,), child, node, evaluated or (type(key) is str and key.endswith(".$")))
                             for key, child in node.items())
            elif type(node) is list:
                stack.extend((at + (position,), child, node, evaluated) for position, child in enumerate(node))
