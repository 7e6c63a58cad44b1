"""A picture of each state machine: its states by type, its transitions labelled, Parallel
branches and Map processors as nested boxes, and the states with problems highlighted,
in Mermaid (GitHub renders it) or Graphviz DOT."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity, displayable, printable
from .model import Scope, State, iter_scopes, machine_query_language, transitions

GRAPH_FORMATS = ("mermaid", "dot")


@dataclass(frozen=True)
class Machine:
    """One checked state machine, kept for drawing: where it is and its data."""

    file: str
    name: str | None
    data: object


@dataclass
class _Node:
    id: str
    name: str
    type: str
    problems: list[Diagnostic]

    @property
    def severity(self) -> Severity | None:
        return max((d.severity for d in self.problems), default=None)

    @property
    def label(self) -> str:
        rules = sorted({d.rule for d in self.problems})
        return self.name + (f" ({', '.join(rules)})" if rules else "")


class _Layout:
    """Scopes, nodes and edges of one machine, with ids that any renderer accepts."""

    def __init__(self, machine: Machine, diagnostics: list[Diagnostic]) -> None:
        by_state: dict[str, list[Diagnostic]] = defaultdict(list)
        for d in diagnostics:
            if d.state is not None:
                by_state[d.state].append(d)
        self.scopes = list(iter_scopes(machine.data))
        self.nodes: dict[tuple, _Node] = {}  # state path -> node
        default = machine_query_language(machine.data)
        self.states: dict[tuple, list[State]] = {}
        for scope in self.scopes:
            found = []
            for name, data in scope.states.items():
                state = State(name, data, scope, default)
                found.append(state)
                kind = data.get("Type") if isinstance(data.get("Type"), str) else "?"
                self.nodes[state.path] = _Node(f"n{len(self.nodes)}", name, kind, by_state.get(name, []))
            self.states[scope.path] = found
        self.problems_outside = [d for d in diagnostics if d.state is None]
        # Each scope's Parallel branches and Map processors, found once: a Parallel with
        # 10,000 branches is drawn in one pass, not one pass over all scopes per scope.
        self._children: dict[tuple, list[tuple[Scope, _Node]]] = defaultdict(list)
        by_path = {scope.path: scope for scope in self.scopes}
        for child in self.scopes:
            for cut in range(len(child.path) - 1, -1, -1):
                parent = by_path.get(child.path[:cut])
                if parent is not None and parent.depth == child.depth - 1:
                    owner = self.nodes.get(child.path[:cut + 2])
                    if owner is not None:
                        self._children[parent.path].append((child, owner))
                    break

    def children(self, scope: Scope) -> list[tuple[Scope, _Node]]:
        """The Parallel branches and Map processors right inside `scope`, with their state."""
        return self._children.get(scope.path, [])

    def edges(self, scope: Scope) -> Iterator[tuple[str, str, str, bool]]:
        """(source id, target id, label, dotted) within a scope."""
        for state in self.states[scope.path]:
            source = self.nodes[state.path].id
            for transition in transitions(state):
                target = self.nodes.get(scope.state_path(transition.target))
                if target is None:
                    continue  # a transition to nowhere is a diagnostic, not an edge
                if transition.kind == "Choice":
                    label = f"rule {transition.path[-2] + 1}"
                elif transition.kind == "Catch":
                    catcher = state.data["Catch"][transition.path[-2]]
                    names = catcher.get("ErrorEquals") if isinstance(catcher, dict) else None
                    shown = ", ".join(n for n in names if isinstance(n, str)) if isinstance(names, list) else "?"
                    label = f"Catch: {shown}"
                else:
                    label = transition.kind
                yield source, target.id, label, transition.kind == "Catch"


def _escape_mermaid(text: str) -> str:
    """Text for a quoted Mermaid label: Mermaid's entity codes for what would end the label
    or be read as markup, '#' first (it starts a code); other characters as themselves."""
    text = json.dumps(text, ensure_ascii=False)[1:-1]
    for character, code in (("#", "#35;"), ("&", "#amp;"), ('\\"', "#quot;"), ("<", "#lt;"), (">", "#gt;"),
                            ("|", "#124;"), ("`", "#96;")):
        text = text.replace(character, code)
    return displayable(text)


_MERMAID_SHAPES = {"Task": ('["', '"]'), "Choice": ('{"', '"}'), "Pass": ('(["', '"])'), "Wait": ('[/"', '"/]'),
                   "Succeed": ('(("', '"))'), "Fail": ('{{"', '"}}'), "Parallel": ('[["', '"]]'),
                   "Map": ('[["', '"]]')}
_MERMAID_STYLES = {Severity.ERROR: "fill:#ffd6d6,stroke:#c00,stroke-width:2px",
                   Severity.WARNING: "fill:#fff1c2,stroke:#b58100,stroke-width:2px",
                   Severity.INFO: "fill:#dcecff,stroke:#2a6ebb"}


def _walk(layout: _Layout, syntax) -> list[str]:
    """The lines that draw every scope of a machine in one syntax (Mermaid or DOT), each
    nested scope inside the box of its Parallel or Map state."""
    lines: list[str] = []
    boxes = [0]

    def draw(scope: Scope, indent: str, number: int) -> None:
        lines.append(indent + syntax.start(f"start{number}"))
        for state in layout.states[scope.path]:
            lines.extend(indent + line for line in syntax.node(layout.nodes[state.path]))
        first = layout.nodes.get(scope.state_path(scope.start_at)) if isinstance(scope.start_at, str) else None
        if first is not None:
            lines.append(indent + syntax.edge(f"start{number}", first.id, None, False))
        for source, target, label, dotted in layout.edges(scope):
            lines.append(indent + syntax.edge(source, target, label, dotted))
        for child, owner in layout.children(scope):
            boxes[0] += 1
            lines.extend(indent + line for line in syntax.open_box(boxes[0], child.label))
            draw(child, indent + "  ", boxes[0])
            lines.append(indent + syntax.close_box())
            lines.append(indent + syntax.link_box(owner.id, boxes[0]))

    draw(layout.scopes[0], "  ", 0)
    return lines


class _Mermaid:
    @staticmethod
    def start(identifier: str) -> str:
        return f"{identifier}((start)):::start"

    @staticmethod
    def node(node: _Node) -> list[str]:
        opening, closing = _MERMAID_SHAPES.get(node.type, ('["', '"]'))
        found = [f"{node.id}{opening}{_escape_mermaid(node.type + ': ' + node.label)}{closing}"]
        return found + ([f"class {node.id} {node.severity.label}"] if node.severity is not None else [])

    @staticmethod
    def edge(source: str, target: str, label: str | None, dotted: bool) -> str:
        arrow = "-.->" if dotted else "-->"
        return f"{source} {arrow} {target}" if label is None else \
            f'{source} {arrow}|"{_escape_mermaid(label)}"| {target}'

    @staticmethod
    def open_box(number: int, label: str) -> list[str]:
        return [f'subgraph sub{number}["{_escape_mermaid(label)}"]', "  direction TB"]

    @staticmethod
    def close_box() -> str:
        return "end"

    @staticmethod
    def link_box(owner: str, number: int) -> str:
        return f"{owner} -.- sub{number}"


def mermaid(machine: Machine, diagnostics: list[Diagnostic]) -> str:
    """A Mermaid flowchart of one machine (GitHub renders ```mermaid blocks)."""
    layout = _Layout(machine, diagnostics)
    if not layout.scopes:
        return 'flowchart TD\n  empty(["no states to draw"])\n'
    lines = ["flowchart TD", *_walk(layout, _Mermaid)]
    lines += [f"  classDef {severity.label} {style}" for severity, style in _MERMAID_STYLES.items()]
    lines.append("  classDef start fill:#333,stroke:#333,color:#fff")
    return "\n".join(lines) + "\n"


_DOT_SHAPES = {"Task": "box", "Choice": "diamond", "Pass": "ellipse", "Wait": "parallelogram",
               "Succeed": "oval, peripheries=2", "Fail": "octagon", "Parallel": "box3d", "Map": "component"}
_DOT_FILLS = {Severity.ERROR: "#ffd6d6", Severity.WARNING: "#fff1c2", Severity.INFO: "#dcecff"}


def _dot_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a quoted DOT string: the same escapes, UTF-8 as itself


class _Dot:
    @staticmethod
    def start(identifier: str) -> str:
        return f'{identifier} [shape=point, width=0.15, label=""];'

    @staticmethod
    def node(node: _Node) -> list[str]:
        attributes = [f"label={_dot_text(node.type + ': ' + node.label)}", f"shape={_DOT_SHAPES.get(node.type, 'box')}"]
        if node.severity is not None:
            attributes += ["style=filled", f'fillcolor="{_DOT_FILLS[node.severity]}"', "penwidth=2"]
        return [f"{node.id} [{', '.join(attributes)}];"]

    @staticmethod
    def edge(source: str, target: str, label: str | None, dotted: bool) -> str:
        attributes = ([f"label={_dot_text(label)}"] if label is not None else []) + (["style=dashed"] if dotted else [])
        return f"{source} -> {target}" + (f" [{', '.join(attributes)}]" if attributes else "") + ";"

    @staticmethod
    def open_box(number: int, label: str) -> list[str]:
        return [f"subgraph cluster_{number} {{", f"  label={_dot_text(label)}; style=rounded;"]

    @staticmethod
    def close_box() -> str:
        return "}"

    @staticmethod
    def link_box(owner: str, number: int) -> str:
        return f"{owner} -> start{number} [style=dotted, arrowhead=none];"


def dot(machine: Machine, diagnostics: list[Diagnostic]) -> str:
    """A Graphviz digraph of one machine (`dot -Tsvg` draws it)."""
    layout = _Layout(machine, diagnostics)
    lines = [f"digraph {_dot_text(machine.name or machine.file)} {{", "  rankdir=TB;", '  node [fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    if layout.scopes:
        lines += _walk(layout, _Dot)
    return "\n".join([*lines, "}"]) + "\n"


RENDERERS = {"mermaid": mermaid, "dot": dot}


def render(machines: Iterable[Machine], diagnostics: list[Diagnostic], fmt: str) -> str:
    """Every machine drawn, each under a comment naming its file and machine."""
    by_machine: dict[tuple, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_machine[(d.file, d.machine)].append(d)
    parts = []
    comment = "%%" if fmt == "mermaid" else "//"
    for machine in machines:
        # One line whatever the names hold: a newline here would start lines of Mermaid or DOT.
        where = displayable(machine.file + (f" state machine {machine.name}" if machine.name else ""))
        found = by_machine.get((machine.file, printable(machine.name) if machine.name else machine.name), [])
        parts.append(f"{comment} {where}\n" + RENDERERS[fmt](machine, found))
    return printable("\n".join(parts))  # a lone surrogate in a name (a JSON escape) as a backslash escape
