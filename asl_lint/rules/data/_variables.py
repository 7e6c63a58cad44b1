"""Where variables are assigned and read, per scope, and what is assigned on every path."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ...context import RuleContext
from ...lang.fields import assign_sites, choice_rules
from ...lang.jsonata import analyse
from ...model import Scope, State
from ._paths import path_uses
from .jsonata import expressions


@dataclass
class Assignment:
    name: str  # the variable, `.$` stripped
    key: str  # as written
    path: tuple  # path of the key
    state: State
    where: str  # "state" | "rule" | "catcher"
    index: int | None = None  # which Choice rule or Catcher


@dataclass
class Use:
    name: str
    path: tuple
    within: tuple[int, int] | None
    state: State


class VariableFlow:
    """Variables of one definition: assignments, uses, scopes, and the data-flow facts."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx

    @cached_property
    def assignments(self) -> list[Assignment]:
        found = []
        for state in self.ctx.states:
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

    @cached_property
    def assigned_in(self) -> dict[str, set[tuple]]:
        """Variable -> the scopes whose states assign it."""
        scopes: dict[str, set[tuple]] = {}
        for assignment in self.assignments:
            scopes.setdefault(assignment.name, set()).add(assignment.state.scope.path)
        return scopes

    @cached_property
    def assigned_on_entry(self) -> dict[tuple, set[str] | None]:
        """State path -> variables assigned on every path to it (None: not reachable)."""
        facts: dict[tuple, set[str] | None] = {}
        by_state: dict[tuple, list[Assignment]] = {}
        for assignment in self.assignments:
            by_state.setdefault(assignment.state.path, []).append(assignment)
        for scope_graph in self.ctx.graphs:  # parents come before their children
            scope = scope_graph.scope
            entry = set() if not scope.path else (self._owner_entry(scope, facts) or set())
            self._flow(scope, scope_graph.graph, entry, by_state, facts)
        return facts

    def _owner_entry(self, scope: Scope, facts: dict) -> set[str] | None:
        owner = scope.path[:-2] if scope.path[-2] == "Branches" else scope.path[:-1]
        return facts.get(owner)

    def _flow(self, scope: Scope, graph, entry: set[str], by_state: dict, facts: dict) -> None:
        start = scope.start_at
        if not isinstance(start, str) or start not in graph:
            return
        states = {state.name: state for state in self.ctx.states_by_scope[scope.path]}
        universe = set(entry) | {a.name for name in states for a in by_state.get(states[name].path, [])}
        inside: dict[str, set[str]] = {name: set(universe) for name in graph.nodes}
        inside[start] = set(entry)
        reached = {start}
        pending = [start]
        while pending:
            source = pending.pop()
            state = states.get(source)
            for target in graph.successors(source):
                for transition in graph.edges[source, target]["transitions"]:
                    made = inside[source] | self._generated(state, transition, by_state)
                    new = inside[target] & made if target in reached else made & inside[target]
                    if target == start:
                        new &= entry
                    if target not in reached or new != inside[target]:
                        reached.add(target)
                        inside[target] = new
                        pending.append(target)
        for name in graph.nodes:
            if name in states:
                facts[states[name].path] = inside[name] if name in reached else None

    @staticmethod
    def _generated(state: State | None, transition, by_state: dict) -> set[str]:
        if state is None:
            return set()
        made = by_state.get(state.path, [])
        if transition.kind == "Choice":
            return {a.name for a in made if a.where == "rule" and a.index == transition.path[-2]}
        if transition.kind == "Catch":
            return {a.name for a in made if a.where == "catcher" and a.index == transition.path[-2]}
        return {a.name for a in made if a.where == "state"}


def flow(ctx: RuleContext) -> VariableFlow:
    return ctx.shared("variable flow", VariableFlow)


def nested_rule_assigns(state: State):
    for path, rule, top in choice_rules(state):
        if not top and "Assign" in rule:
            yield path + ("Assign",)
