"""Where variables are assigned and read, per scope, and what is assigned on every path."""

from __future__ import annotations

from dataclasses import dataclass
from ...lazy import cached_property

from ...context import RuleContext
from ...lang.fields import assign_sites, may_assign
from ...lang.jsonata import analyse
from ...model import Scope, State
from ._paths import path_uses
from .jsonata import expressions


@dataclass(slots=True)
class Assignment:
    name: str  # the variable, `.$` stripped
    key: str  # as written
    path: tuple  # path of the key
    state: State
    where: str  # "state" | "rule" | "catcher"
    index: int | None = None  # which Choice rule or Catcher


@dataclass(slots=True)
class Use:
    name: str
    path: tuple
    within: tuple[int, int] | None
    state: State


class VariableFlow:
    """Variables of one definition: assignments, uses, scopes, and the data-flow facts."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self._visible: dict[tuple, frozenset[tuple]] = {}  # scope path -> visible_from

    @cached_property
    def assignments(self) -> list[Assignment]:
        found = []
        for state in self.ctx.states:
            if not may_assign(state):
                continue
            for path, assign, _ in assign_sites(state):
                where = "rule" if "Choices" in path[len(state.path):] else "catcher" \
                    if "Catch" in path[len(state.path):] else "state"
                index = path[len(state.path) + 1] if where != "state" else None
                for key in assign:
                    if not isinstance(key, str):
                        continue
                    name = key[:-2] if key.endswith(".$") and state.query_language == "JSONPath" else key
                    found.append(Assignment(name, key, path + (key,), state, where, index))
        return found

    @cached_property
    def uses(self) -> list[Use]:
        found = []
        for use in path_uses(self.ctx):
            if use.parsed is not None and use.parsed.root == "variable" and use.parsed.variable:
                name = use.parsed.variable
                found.append(Use(name, use.site.path, use.within(0, 1 + len(name)), use.site.state))
        for site, expression, offset in expressions(self.ctx):
            for name, at in analyse(expression).variables:
                start = offset + at
                found.append(Use(name, site.path, (start, start + 1 + len(name)), site.state))
        return found

    @cached_property
    def parent(self) -> dict[tuple, tuple | None]:
        """Scope path -> the path of the scope holding its Parallel or Map state."""
        result: dict[tuple, tuple | None] = {}
        for scope in self.ctx.scopes:
            if not scope.path:
                result[scope.path] = None
                continue
            owner = scope.path[:-2] if scope.path[-2] == "Branches" else scope.path[:-1]
            result[scope.path] = owner[:-2]
        return result

    def ancestors(self, scope_path: tuple) -> list[tuple]:
        chain, current = [], scope_path
        while current is not None:
            chain.append(current)
            current = self.parent.get(current)
        return chain

    def visible_from(self, scope_path: tuple) -> frozenset[tuple]:
        """The scopes whose variables a state of this scope can read: it and its ancestors
        (asked once per use of a variable; worked out once per scope)."""
        found = self._visible.get(scope_path)
        if found is None:
            found = self._visible[scope_path] = frozenset(self.ancestors(scope_path))
        return found

    @cached_property
    def assigned_in(self) -> dict[str, set[tuple]]:
        """Variable -> the scopes whose states assign it."""
        scopes: dict[str, set[tuple]] = {}
        for assignment in self.assignments:
            scopes.setdefault(assignment.name, set()).add(assignment.state.scope.path)
        return scopes

    @cached_property
    def _bits(self) -> dict[str, int]:
        """A bit for each variable that is read: only those need data-flow facts."""
        return {name: 1 << index for index, name in enumerate(dict.fromkeys(use.name for use in self.uses))}

    def _mask(self, names) -> int:
        bits, mask = self._bits, 0
        for name in names:
            mask |= bits.get(name, 0)
        return mask

    def assigned_before(self, state: State, name: str) -> bool | None:
        """Whether every path from StartAt to the state assigns `name` before it runs
        (None: the state is not reachable, or `name` is never read)."""
        mask = self.assigned_on_entry.get(state)
        bit = self._bits.get(name)
        return None if mask is None or bit is None else bool(mask & bit)

    @cached_property
    def assigned_on_entry(self) -> dict[State, int | None]:
        """State -> bitmask of the read variables assigned on every path to it (None: not
        reachable; absent: no variable is read in its scope or one inside it). Bitmasks
        keep the analysis linear in practice: a set per state of every variable would grow
        as states x variables. States are keys by identity: hashing their paths cost more
        than the analysis."""
        facts: dict[State, int | None] = {}
        generated: dict[State, dict[tuple[str, object], int]] = {}
        for assignment in self.assignments:
            masks = generated.setdefault(assignment.state, {})
            key = (assignment.where, assignment.index)
            masks[key] = masks.get(key, 0) | self._mask((assignment.name,))
        # Only the scopes a variable is read in, and those around them (whose facts flow
        # in through the Parallel or Map state): most states of most definitions read none.
        needed = {path for use in self.uses for path in self.visible_from(use.state.scope.path)}
        for scope_graph in self.ctx.graphs:  # parents come before their children
            scope = scope_graph.scope
            if scope.path not in needed:
                continue
            entry = 0 if not scope.path else (self._owner_entry(scope, facts) or 0)
            self._flow(scope, scope_graph, entry, generated, facts)
        return facts

    def _owner_entry(self, scope: Scope, facts: dict) -> int | None:
        owner = scope.path[:-2] if scope.path[-2] == "Branches" else scope.path[:-1]
        state = self._state_at.get(owner)
        return facts.get(state) if state is not None else None

    @cached_property
    def _state_at(self) -> dict[tuple, State]:
        """The Parallel and Map states that own scopes, by path."""
        return {state.path: state for state in self.ctx.states if state.type in ("Parallel", "Map")}

    def _flow(self, scope: Scope, scope_graph, entry: int, generated: dict, facts: dict) -> None:
        start, out = scope.start_at, scope_graph.out
        if not isinstance(start, str) or start not in scope_graph.nodes:
            return
        states = {state.name: state for state in self.ctx.states_by_scope[scope.path]}
        inside: dict[str, int] = {start: entry}
        pending = [start]
        while pending:
            source = pending.pop()
            state = states.get(source)
            masks = generated.get(state) if state is not None else None  # most states assign nothing
            for target, found in out.get(source, {}).items():
                for transition in found:
                    made = inside[source] | self._generated(masks, transition) if masks else inside[source]
                    new = made & inside[target] if target in inside else made
                    if target == start:
                        new &= entry
                    if target not in inside or new != inside[target]:
                        inside[target] = new
                        pending.append(target)
        for name, state in states.items():
            facts[state] = inside.get(name)

    @staticmethod
    def _generated(masks: dict[tuple[str, object], int], transition) -> int:
        if transition.kind in ("Choice", "Catch"):
            where = "rule" if transition.kind == "Choice" else "catcher"
            return masks.get((where, transition.path[-2]), 0)
        return masks.get(("state", None), 0)


def flow(ctx: RuleContext) -> VariableFlow:
    return ctx.shared("variable flow", VariableFlow)
