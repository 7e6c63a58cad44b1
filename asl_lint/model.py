"""The shape of a state machine: scopes, states, transitions and one graph per scope.

Every function here accepts any data: a definition that fails the schema still gets as
much structure as can be read from it, so the other rules keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from .lazy import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import networkx as nx

QUERY_LANGUAGES = ("JSONPath", "JSONata")
TERMINAL_TYPES = ("Succeed", "Fail")
STATE_TYPES = ("Task", "Parallel", "Map", "Pass", "Wait", "Choice", "Succeed", "Fail")


@dataclass
class Scope:
    """One `States` object: the top level, a Parallel branch or a Map's processor."""

    path: tuple  # path of the object that holds StartAt and States
    data: dict
    owner: str | None  # the Parallel or Map state it belongs to
    label: str
    depth: int  # 0 at the top level
    in_child_execution: bool = False  # inside a Distributed Map: runs as child executions

    @cached_property
    def states(self) -> dict[str, dict]:
        states = self.data.get("States")
        if not isinstance(states, dict):
            return {}
        return {name: state for name, state in states.items() if isinstance(state, dict)}

    @property
    def start_at(self) -> object:
        return self.data.get("StartAt")

    def state_path(self, name: str) -> tuple:
        return self.path + ("States", name)


@dataclass(eq=False, slots=True, init=False)
class State:
    name: str
    data: dict
    scope: Scope
    query_language: str  # effective: its own QueryLanguage, or the machine's
    # Views of this state that several rules read (lang.fields.per_state): built once.
    views: dict = field(repr=False)
    path: tuple = field(repr=False)
    type: object = field(repr=False)

    def __init__(self, name: str, data: dict, scope: Scope, query_language: str) -> None:
        # Written out: one State per state of every definition, and the generated
        # __init__ would call __post_init__ and a default factory besides.
        self.name, self.data, self.scope, self.query_language = name, data, scope, query_language
        self.views = {}
        self.path = scope.path + ("States", name)
        self.type = data.get("Type")

    @property
    def is_terminal(self) -> bool:
        return self.type in TERMINAL_TYPES or self.data.get("End") is True

    # Rules run whether or not the schema pass found the state well formed, so they read
    # fields through these: a value of the wrong type is nothing to them (the schema pass
    # has reported it), never a crash.
    def value(self, key: str, kind: type | tuple[type, ...]) -> Any:
        """The field at `key` if it is of type `kind` (a bool is no int here), else None."""
        return typed(self.data.get(key), kind)

    def entries(self, key: str) -> list[tuple[int, dict]]:
        """(index, object) for each object in the list at `key` (Retry, Catch, Choices...)."""
        return typed_entries(self.data.get(key))


def typed(value: object, kind: type | tuple[type, ...]) -> Any:
    """`value` if it is of type `kind` (a bool is no int or float here), else None."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return None
    return value if isinstance(value, kinds) else None


def typed_entries(value: object) -> list[tuple[int, dict]]:
    """(index, object) for each object of `value` if it is a list; nothing otherwise."""
    if not isinstance(value, list):
        return []
    return [(index, entry) for index, entry in enumerate(value) if isinstance(entry, dict)]


def strings_of(value: object) -> list[str | None]:
    """The items of a list of names (ErrorEquals), a non-string item as None so that indexes
    still point at the right item; nothing when `value` is not a list."""
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, str) else None for item in value]


class Transition(NamedTuple):
    """A jump from one state to a named target, and the key that makes it."""

    source: str
    target: str
    kind: str  # "Next" | "Default" | "Choice" | "Catch"
    path: tuple  # path of the string naming the target


@dataclass
class ScopeGraph:
    """The state graph of one scope, held in networkx's own layout: `nodes` (name -> its
    attributes), `successors` and `predecessors` (name -> neighbour -> the edge's
    attributes). `graph` is the networkx DiGraph over these very dictionaries, made the
    first time a rule asks for it: importing networkx costs more than checking a small
    file, and most checks need no more than a search over the adjacency (`closure`)."""

    scope: Scope
    nodes: dict[str, dict] = field(default_factory=dict)
    successors: dict[str, dict[str, dict]] = field(default_factory=dict)
    predecessors: dict[str, dict[str, dict]] = field(default_factory=dict)
    dangling: list[Transition] = field(default_factory=list)
    unreachable: list[str] | None = None  # states StartAt does not lead to, once asked
    # Transitions to a value known only at deploy time (`"Next": "${NextState}"`): they may
    # lead to any state, so reachability and loops cannot be judged in this scope.
    unknown_targets: list[Transition] = field(default_factory=list)
    # The graph's edges as plain dicts, source -> target -> transitions, for the loops that
    # walk them many times (the variable data flow): no view objects in between.
    out: dict[str, dict[str, list[Transition]]] = field(default_factory=dict)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The networkx DiGraph of the scope, sharing its dictionaries (nothing is copied)."""
        import networkx as nx

        graph = nx.DiGraph()
        graph._node, graph._succ, graph._pred = self.nodes, self.successors, self.predecessors
        graph._adj = graph._succ  # a DiGraph's adjacency is its successors
        return graph


def value_at(data: object, path: tuple) -> object:
    """The value at `path` in plain data, or None where the path leads nowhere."""
    for part in path:
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def json_type(value: object) -> str:
    """'an object', 'a string', ... as a JSON user would name the value's type."""
    for kind, name in ((bool, "a boolean"), (int, "an integer"), (float, "a number"), (str, "a string"),
                       (dict, "an object"), (list, "an array")):
        if isinstance(value, kind):
            return name
    return "null"


def machine_query_language(definition: object) -> str:
    if isinstance(definition, dict) and definition.get("QueryLanguage") in QUERY_LANGUAGES:
        return definition["QueryLanguage"]
    return "JSONPath"


def iter_scopes(definition: object) -> Iterator[Scope]:
    """Every scope, parents before children, in document order."""
    if not isinstance(definition, dict):
        return
    stack = [Scope((), definition, None, "the top level", 0)]
    while stack:
        scope = stack.pop()
        yield scope
        children = []
        for name, state in scope.states.items():
            if state.get("Type") in _NESTING_TYPES:  # only these hold scopes: no generator for the rest
                children.extend(_child_scopes(scope, name, state))
        stack.extend(reversed(children))


_NESTING_TYPES = ("Parallel", "Map")


def _child_scopes(scope: Scope, name: str, state: dict) -> Iterator[Scope]:
    base = scope.state_path(name)
    if state.get("Type") == "Parallel" and isinstance(state.get("Branches"), list):
        for index, branch in enumerate(state["Branches"]):
            if isinstance(branch, dict):
                label = f"branch {index + 1} of Parallel '{name}'"
                yield Scope(base + ("Branches", index), branch, name, label, scope.depth + 1,
                            scope.in_child_execution)
    elif state.get("Type") == "Map":
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                label = f"the {key} of Map '{name}'"
                config = state[key].get("ProcessorConfig")
                distributed = isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"
                yield Scope(base + (key,), state[key], name, label, scope.depth + 1,
                            scope.in_child_execution or distributed)


def iter_states(definition: object, scopes: list[Scope] | None = None) -> list[State]:
    """Every state, in the order of `scopes` (the definition's, when already walked)."""
    default = machine_query_language(definition)
    return [State(name, data, scope, language if (language := data.get("QueryLanguage")) in QUERY_LANGUAGES
                  else default)
            for scope in (iter_scopes(definition) if scopes is None else scopes) for name, data in scope.states.items()]


def transitions(state: State) -> list[Transition]:
    """Every named target of a state: Next, Default, Choice-rule Next and Catcher Next;
    found once per state (the index and the graph both read them)."""
    found = state.views.get("transitions")
    if found is None:
        found = state.views["transitions"] = _transitions(state)
    return found


_TRANSITION_LISTS = (("Choices", "Choice"), ("Catch", "Catch"))  # the lists whose entries name a Next


# Made as a tuple is (NamedTuple's own constructor is a Python function): a definition
# has a transition per state and more.
_new = tuple.__new__


def _transitions(state: State) -> list[Transition]:
    data, path, name = state.data, state.path, state.name
    found = []
    if isinstance(target := data.get("Next"), str):
        found.append(_new(Transition, (name, target, "Next", path + ("Next",))))
    if "Default" in data and isinstance(target := data["Default"], str):
        found.append(_new(Transition, (name, target, "Default", path + ("Default",))))
    for list_key, kind in _TRANSITION_LISTS:
        if list_key not in data or not isinstance(entries := data[list_key], list):
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(target := entry.get("Next"), str):
                found.append(_new(Transition, (name, target, kind, path + (list_key, index, "Next"))))
    return found


GRAPH_FIELDS = ("Next", "Default", "Choices", "Catch")


def unknown_transitions(state: State, placeholders: set[tuple]) -> list[Transition]:
    """The transitions of a state that are known only at deploy or plan time: a `Next`,
    `Default`, `Choices` or `Catch` that is itself a placeholder (`Catch = local.catch`
    that could not be read), or a Choice rule or Catcher that is one. Their target is
    None: any state of the scope may be one."""
    found = []
    for key in GRAPH_FIELDS:
        path = state.path + (key,)
        if path in placeholders:
            found.append(Transition(state.name, None, key, path))
        elif key in ("Choices", "Catch") and isinstance(state.data.get(key), list):
            found += [Transition(state.name, None, key, path + (index,))
                      for index in range(len(state.data[key])) if path + (index,) in placeholders]
    return found


def build_graph(scope: Scope, states: list[State], placeholders: set[tuple] = frozenset()) -> ScopeGraph:
    """A directed graph of one scope; edges remember the transitions that made them.

    It is filled as networkx's adjacency dictionaries, the structure networkx documents for
    its graphs (ScopeGraph.graph wraps them as they are): add_nodes_from/add_edges_from
    check and copy every node and edge, which takes twice as long for the same graph. Each
    edge's attribute `transitions` is the very list `out` holds."""
    result = ScopeGraph(scope)
    nodes, successors, predecessors, out = result.nodes, result.successors, result.predecessors, result.out
    for state in states:  # in the definition's order
        nodes[state.name], successors[state.name], predecessors[state.name] = {}, {}, {}
    for state in states:
        if placeholders:
            result.unknown_targets.extend(unknown_transitions(state, placeholders))
        source = state.name
        for transition in transitions(state):
            target = transition.target
            if target not in nodes:
                if placeholders and transition.path in placeholders:
                    result.unknown_targets.append(transition)
                else:
                    result.dangling.append(transition)
                continue
            targets = out.get(source)
            if targets is None:
                targets = out[source] = {}
            found = targets.get(target)
            if found is None:
                found = targets[target] = []
                successors[source][target] = predecessors[target][source] = {"transitions": found}
            found.append(transition)
    return result


def closure(starts: Iterable[str], next_of: Mapping[str, Iterable[str]]) -> set[str]:
    """`starts` and every node `next_of` leads to from them, again and again: one search
    from all of them at once. `next_of` is an adjacency dictionary of a ScopeGraph
    (`successors`: what a state reaches; `predecessors`: what reaches it), read directly:
    nx.descendants and nx.ancestors, or even graph.successors, cost a call per node, more
    than the search on the small scopes definitions have."""
    found = set(starts)
    pending = list(found)
    while pending:
        for node in next_of[pending.pop()]:
            if node not in found:
                found.add(node)
                pending.append(node)
    return found


def state_at(path: tuple) -> tuple[str, tuple] | None:
    """The innermost state that `path` lies in: its name and its own path."""
    found = None
    for index, part in enumerate(path[:-1]):
        if part != "States" or not isinstance(path[index + 1], str):
            continue
        before = path[:index]
        in_scope = (
            not before
            or before[-1] in ("ItemProcessor", "Iterator")
            or (len(before) >= 2 and before[-2] == "Branches" and isinstance(before[-1], int))
        )
        if in_scope:
            found = (path[index + 1], path[: index + 2])
    return found
