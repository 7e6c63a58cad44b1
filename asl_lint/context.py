"""What a rule gets to look at: one definition and structure computed once for all rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from .lazy import cached_property

from .index import DefinitionIndex
from .model import Scope, ScopeGraph, State, build_graph, iter_scopes, iter_states


@dataclass
class Definition:
    """One state machine, as found in a file, ready to check."""

    data: object
    file: str  # the path as the user gave it, or the file a template points to
    sourcemap: object  # .span(path, anchor) -> Span | None, in `file` coordinates
    machine: str | None = None  # the name inside a template; None for a plain ASL file
    workflow_type: str | None = None  # STANDARD or EXPRESS when the host says; else --type
    placeholders: set[tuple] = field(default_factory=set)  # paths whose value is unknown
    duplicates: list = field(default_factory=list)  # DuplicateKey, paths relative to data
    # DefinitionSubstitutions keys when the host resolves ${X} through them; None when
    # ${...} means something else there (Fn::Sub, Serverless variables, a plain file).
    substitutions: dict | None = None
    substitution_source: str = "DefinitionSubstitutions"  # what provides them, in the user's terms
    # The template that points to `file`, when the definition is a file of its own
    # (DefinitionUri): two templates may share it with different substitutions.
    template: str | None = None
    # Rules a template resource's Metadata {asl-lint: {ignore: [...]}} turns off for it,
    # and where that list is written (file, span).
    ignore: tuple[str, ...] = ()
    ignore_at: tuple[str, object] | None = None
    # Values filled in from variables of the host (a serverless ${self:custom.x}): path ->
    # the text as written. Checked as resolved, but never sent to AWS as resolved.
    substituted: dict[tuple, str] = field(default_factory=dict)
    # Read through a local or a variable that other machines use too: checked once.
    shared: bool = False
    # Characters of the JSON text `data` was read from, when it is the whole of it (a plain
    # JSON file); None otherwise. Its compact JSON is at most 4.5 times as long (a float
    # written 1e15 is written back as 1000000000000000.0), which spares encoding it.
    written_chars: int | None = None


_NOT_BUILT = object()  # a view may be None


class RuleContext:
    """Plain data plus lazily built views; shared by every rule that checks a definition."""

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.data = definition.data
        self._shared: dict[str, object] = {}

    @cached_property
    def scopes(self) -> list[Scope]:
        return list(iter_scopes(self.data))

    @cached_property
    def states(self) -> list[State]:
        return iter_states(self.data, self.scopes)

    @cached_property
    def index(self) -> DefinitionIndex:
        """The facts rules read (Catchers, error names, Choice rules, transitions, path and
        payload sites), found in one walk over the states: see index.py."""
        return DefinitionIndex.of(self.states)

    @cached_property
    def states_by_scope(self) -> dict[tuple, list[State]]:
        grouped: dict[tuple, list[State]] = {scope.path: [] for scope in self.scopes}
        for state in self.states:
            grouped[state.scope.path].append(state)
        return grouped

    @cached_property
    def graphs(self) -> list[ScopeGraph]:
        placeholders = self.definition.placeholders
        return [build_graph(scope, self.states_by_scope[scope.path], placeholders) for scope in self.scopes]

    @cached_property
    def scopes_of_name(self) -> dict[str, list[Scope]]:
        """Every scope a state name appears in (more than one is itself an error)."""
        found: dict[str, list[Scope]] = {}
        for state in self.states:
            found.setdefault(state.name, []).append(state.scope)
        return found

    def states_in(self, language: str) -> list[State]:
        """States whose effective query language is `language` (JSONPath or JSONata)."""
        return self.states_by_language.get(language, [])

    @cached_property
    def states_by_language(self) -> dict[str, list[State]]:
        grouped: dict[str, list[State]] = {}
        for state in self.states:
            grouped.setdefault(state.query_language, []).append(state)
        return grouped

    def shared(self, key: str, build):
        """A view of this definition that several rules use, built once (by the first)."""
        found = self._shared.get(key, _NOT_BUILT)
        if found is _NOT_BUILT:
            found = self._shared[key] = build(self)
        return found

    def release(self) -> None:
        """Break the reference cycles of the views once the rules are done (a state's cached
        sites point back at it; a networkx graph caches views of itself), so that reference
        counting frees a checked definition at once instead of the cyclic collector later."""
        for state in self.__dict__.get("states", ()):
            state.views.clear()
        for scope_graph in self.__dict__.get("graphs", ()):
            if "graph" in vars(scope_graph):  # made only when a rule asked for networkx's
                vars(scope_graph.graph).clear()
        self._shared.clear()
        self.__dict__.clear()

    def unknown_within(self, path: tuple) -> bool:
        """Whether the value at `path`, or anything inside it, is known only at deploy or
        plan time."""
        if not self.definition.placeholders:  # most definitions: asked often, answered at once
            return False
        prefixes = self._shared.get("placeholder-prefixes")
        if prefixes is None:
            prefixes = self._shared["placeholder-prefixes"] = {
                placeholder[:size] for placeholder in self.definition.placeholders for size in range(len(placeholder) + 1)}
        return tuple(path) in prefixes

    def is_placeholder(self, path: tuple) -> bool:
        placeholders = self.definition.placeholders
        return bool(placeholders) and tuple(path) in placeholders
