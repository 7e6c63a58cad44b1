"""What the language server asks of the engine, in plain data: the diagnostics of an
open file, a hover, the code actions for some diagnostics.

Runs in the checking process (lsp.worker). Requests and answers are dicts and lists that
JSON could carry; positions are LSP's: 0-based lines, and columns in the code units the
client and server agreed on (UTF-16 unless it asked for UTF-8 or UTF-32), converted from
asl-lint's 1-based lines and code-point columns with the text of the file they are in.
"""

from __future__ import annotations

import dataclasses
import os
import re

from ..api import lint_paths, project_config
from ..config import Config, ConfigError
from ..diagnostics import Diagnostic, Severity
from ..docs import help_uri as rule_url
from ..files import References, project_roots
from .units import units

SEVERITIES = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}
DIAGNOSTIC_TAG_UNNECESSARY = 1
UNNECESSARY = ("ASL203",)  # findings about code that never runs: an unreachable state


class Lines:
    """A text's lines, for positions in LSP's units."""

    def __init__(self, text: str) -> None:
        from ..source import LineIndex

        self.text = text
        self.starts = LineIndex(text).starts  # the same line breaks as asl-lint's own positions

    def _line(self, number: int) -> tuple[int, str]:
        number = max(0, min(number, len(self.starts) - 1))
        start = self.starts[number]
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return start, self.text[start:end].rstrip("\r\n")

    def position(self, line: int, column: int, encoding: str) -> dict:
        """From asl-lint's 1-based line and code-point column."""
        _, text = self._line(line - 1)
        return {"line": max(0, line - 1), "character": units(text[:max(0, column - 1)], encoding)}

    def at_offset(self, offset: int, encoding: str) -> dict:
        import bisect

        line = bisect.bisect_right(self.starts, offset) - 1
        start, text = self._line(line)
        return {"line": line, "character": units(text[:max(0, offset - start)], encoding)}

    def offset(self, position: dict, encoding: str) -> int:
        """A character offset of the text from an LSP position (clamped to its line)."""
        start, text = self._line(position["line"])
        wanted, count = position["character"], 0
        for index, char in enumerate(text):
            if count >= wanted:
                return start + index
            count += units(char, encoding)
        return start + len(text)


# ---- checking


@dataclasses.dataclass
class _Session:
    """What the checking process keeps between requests: configurations by directory, the
    templates that include each file (found once per open, as --with-includers does)."""

    includers: dict = dataclasses.field(default_factory=dict)


SESSION = _Session()


def _config(root: str, path: str) -> Config:
    config = project_config([path], start=root)  # the configuration the command line there would use
    if config.reference_roots is None:
        config = dataclasses.replace(config, reference_roots=project_roots([path], root))
    # Named by the editor, a file is linted as if walked: nothing for a file without a
    # state machine, and nothing for what the project excludes.
    return dataclasses.replace(config, skip_unrecognized=True, force_exclude=True, jobs=1, with_includers=False,
                               aws_validate="off", keep_machines=False)


def _inside(root: str, path: str) -> str | None:
    relative = os.path.relpath(path, root)
    return None if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative) else relative


def check(request: dict) -> dict:
    """{"root", "path", "text", "open": {path: text}, "encoding", "includers": refresh?}
    -> {"diagnostics": [LSP diagnostic], "depends": [paths whose change changes them]}"""
    root, path, encoding = request["root"], request["path"], request["encoding"]
    if path is None:
        return _check_untitled(request)
    if _inside(root, path) is None:
        return {"diagnostics": [], "depends": []}
    path = os.path.abspath(path)
    try:
        config = _config(root, path)
    except ConfigError as error:  # one finding on the configuration, at its line: not one per document
        return {"diagnostics": [], "depends": [], "config": _config_problem(str(error), root)}
    overlay = {os.path.realpath(other): text for other, text in request["open"].items()}
    overlay[os.path.realpath(path)] = request["text"]
    references = References(config.reference_roots, config.allow_outside_references, overlay=overlay)
    found = list(lint_paths([path], config, overlay=overlay).diagnostics)
    depends = set()
    for includer in _includers(path, config, request.get("includers", False)):
        reference = _reference_in(includer, os.path.basename(path), references)
        found += [dataclasses.replace(diagnostic, related=diagnostic.related + reference)
                  for diagnostic in lint_paths([includer], config, overlay=overlay).diagnostics]
        depends.add(os.path.abspath(includer))
    depends |= {os.path.abspath(d.file) for d in found}
    mine = os.path.realpath(path)
    unique: dict[tuple, Diagnostic] = {}  # the same problem seen alone and through a template: once
    for diagnostic in found:
        if os.path.realpath(diagnostic.file) != mine:
            continue
        key = (diagnostic.rule, diagnostic.line, diagnostic.column, diagnostic.message)
        seen = unique.get(key)
        unique[key] = diagnostic if seen is None else dataclasses.replace(
            seen, related=seen.related + tuple(place for place in diagnostic.related if place not in seen.related),
            fix=seen.fix or diagnostic.fix)
    texts: dict = {}
    lines = Lines(request["text"])  # one line table for all the document's findings
    diagnostics = [_lsp_diagnostic(diagnostic, path, lines, texts, references, encoding, root)
                   for diagnostic in unique.values()]
    return {"diagnostics": diagnostics, "depends": sorted(depends - {os.path.abspath(path)})}


# What an untitled buffer of each languageId is read as, as standard input is with
# --stdin-filename: the name decides the format (and, for asl, that it is a definition).
UNTITLED_NAMES = {"json": "untitled.json", "jsonc": "untitled.json", "yaml": "untitled.yaml",
                  "asl": "untitled.asl.json", "asl-yaml": "untitled.asl.yaml", "terraform": "untitled.tf"}


def _check_untitled(request: dict) -> dict:
    """A buffer that stands for no file, checked as standard input: by its languageId, with
    the configuration of the workspace folder (or none), nothing read from disk."""
    from ..api import lint_text

    name = UNTITLED_NAMES.get(request.get("language") or "", "untitled.json")
    root = request.get("root")
    config = project_config([os.path.join(root, name)], start=root) if root else Config()
    config = dataclasses.replace(config, skip_unrecognized=True, aws_validate="off", keep_machines=False,
                                 reference_roots=())
    lines = Lines(request["text"])
    found = []
    for diagnostic in lint_text(request["text"], name, config).diagnostics:
        if diagnostic.file != name:
            continue
        lsp = _lsp_diagnostic(dataclasses.replace(diagnostic, fix=None, related=()), name, lines, {}, None,
                              request["encoding"], root or "")
        found.append(lsp)
    return {"diagnostics": found, "depends": []}


_WHERE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<message>.*)$", re.S)


def _config_problem(message: str, root: str) -> dict:
    """{"path", "line", "character" (0-based), "message"} of a configuration error whose
    message starts with where it is ('file:line:col: ...', or 'file: ...')."""
    found = _WHERE.match(message)
    if found is None or not found["file"].endswith((".yaml", ".yml", ".toml")):
        return {"path": None, "line": 0, "character": 0, "message": message}
    file = found["file"]
    path = file if os.path.isabs(file) else next(
        (candidate for candidate in (os.path.join(root, file), os.path.abspath(file)) if os.path.isfile(candidate)),
        os.path.join(root, file))
    line = int(found["line"]) - 1 if found["line"] else 0
    column = int(found["column"]) - 1 if found["column"] else 0
    return {"path": os.path.abspath(path), "line": line, "character": column, "message": found["message"]}


def _includers(path: str, config: Config, refresh: bool) -> list[str]:
    """The project's templates and serverless files that include the file (absolute paths)."""
    if refresh or path not in SESSION.includers:
        from ..api import includes_of
        from ..files import Trees, git_work_tree
        from ..walk import Exclusions, find_includers

        exclusions = Exclusions(config.exclusion_patterns, config.root, config.respect_gitignore, False,
                                Trees(config.reference_roots, config.allow_outside_references))
        project = git_work_tree(config.directory) or config.directory
        try:
            found = find_includers([path], project, exclusions, config.max_file_bytes, includes_of(config))
        except OSError:
            found = []
        SESSION.includers[path] = [os.path.abspath(includer) for includer in found
                                   if os.path.realpath(includer) != os.path.realpath(path)]
    return SESSION.includers[path]


def files_changed(request: dict) -> list[str]:
    """{"root", "changed": [paths], "deleted": [paths]} -> the files, of those whose includers
    are known, whose includers changed. Keeps the includers index up to date from the
    editor's file events: a changed file is read once for what it includes, instead of the
    project walked again."""
    from ..api import includes_of
    from ..files import FileRefused, read_file

    if not SESSION.includers:
        return []
    affected = set()
    deleted = {os.path.abspath(path) for path in request.get("deleted", ())}
    for tracked, includers in SESSION.includers.items():
        kept = [includer for includer in includers if includer not in deleted]
        if len(kept) != len(includers):
            SESSION.includers[tracked] = kept
            affected.add(tracked)
    changed = [os.path.abspath(path) for path in request.get("changed", ()) if os.path.isfile(path)]
    if not changed:
        return sorted(affected)
    root = request["root"]
    includes = includes_of(_config(root, os.path.join(root, "x.json")))
    for path in changed:
        try:
            read = includes(path, read_file(path))
        except (FileRefused, OSError):
            continue
        for tracked, includers in SESSION.includers.items():
            if tracked == path:
                continue
            named = os.path.realpath(tracked) in read
            if named and path not in includers:
                includers.append(path)
                affected.add(tracked)
            elif not named and path in includers:
                includers.remove(path)
                affected.add(tracked)
    return sorted(affected)


def _reference_in(includer: str, name: str, references: References) -> tuple:
    """Where a template names the file it reads: the place a diagnostic of that file
    points back to."""
    try:
        text = references.read(includer)
    except Exception:  # noqa: BLE001 - no place to point to
        return ()
    at = text.find(name)
    if at < 0:
        return ()
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return ((includer, line, column, line, column + len(name), f"read, with its substitutions, by {includer}"),)


def _lines_of(file: str, path: str, lines: Lines, texts: dict, references: References) -> Lines | None:
    """The line table of a file a finding points to: the document's own, or another file's
    (read once per check)."""
    if os.path.realpath(file) == os.path.realpath(path):
        return lines
    if file not in texts:
        try:
            texts[file] = Lines(references.read(file))
        except Exception:  # noqa: BLE001 - a file that cannot be read is shown at its start
            texts[file] = None
    return texts[file]


def _workspace_names(text: str, root: str) -> str:
    """A message with the files it names shown relative to the workspace folder, as the
    command line run there shows them (the server checks files by their absolute paths)."""
    return text.replace(os.path.join(os.path.abspath(root), ""), "")


def _lsp_diagnostic(diagnostic: Diagnostic, path: str, lines: Lines, texts: dict, references: References,
                    encoding: str, root: str) -> dict:
    end = lines.position(diagnostic.end_line, diagnostic.end_column, encoding)
    tags = []
    if diagnostic.rule in UNNECESSARY:  # marked at the state's name, faded, not squiggled whole
        start = lines.position(diagnostic.line, diagnostic.column, encoding)
        key_end = _key_end(lines.text, lines.offset(start, encoding))
        if key_end is not None:
            end, tags = lines.at_offset(key_end, encoding), [DIAGNOSTIC_TAG_UNNECESSARY]
    found = {
        "range": {"start": lines.position(diagnostic.line, diagnostic.column, encoding), "end": end},
        "severity": SEVERITIES[diagnostic.severity],
        "code": diagnostic.rule,
        "source": "asl-lint",
        "message": _workspace_names(f"{diagnostic.message} ({diagnostic.name})", root),
        "data": {"rule": diagnostic.rule, "pointer": diagnostic.pointer, "machine": diagnostic.machine,
                 "state": diagnostic.state, "line": diagnostic.line},
    }
    if tags:
        found["tags"] = tags
    if rule_url(diagnostic.rule) is not None:  # only an address something serves
        found["codeDescription"] = {"href": rule_url(diagnostic.rule)}
    related = []
    for file, line, column, end_line, end_column, message in diagnostic.related:
        place = _lines_of(file, path, lines, texts, references)
        if place is not None:
            related.append({"location": {"uri": os.path.abspath(file), "range": {
                "start": place.position(line, column, encoding), "end": place.position(end_line, end_column,
                                                                                       encoding)}},
                            "message": _workspace_names(message, root)})
    if related:
        found["relatedInformation"] = related
    if diagnostic.fix is not None:
        found["data"]["fix"] = {"title": diagnostic.fix.title, "safe": diagnostic.fix.safe, "edits": [
            {"path": os.path.abspath(diagnostic.file), "range": {"start": lines.at_offset(edit.start, encoding),
                                                                  "end": lines.at_offset(edit.end, encoding)},
             "newText": edit.text} for edit in diagnostic.fix.edits]}
    return found


def _key_end(text: str, start: int) -> int | None:
    """Where the member name that starts at `start` ends: a quoted JSON or YAML key, or a
    plain YAML one (up to its colon). None: no key there."""
    if start >= len(text):
        return None
    quote = text[start]
    if quote in "\"'":
        at = start + 1
        while at < len(text) and text[at] != "\n":
            if text[at] == "\\" and quote == '"':
                at += 2
                continue
            if text[at] == quote:
                if quote == "'" and text[at + 1:at + 2] == "'":  # '' is a quote inside a YAML key
                    at += 2
                    continue
                return at + 1
            at += 1
        return None
    colon = text.find(":", start, text.find("\n", start) if "\n" in text[start:] else len(text))
    return colon if colon > start else None


# ---- hover


def hover(request: dict) -> str | None:
    """{"root", "path", "text", "open", "encoding", "position", "rules"} -> Markdown: each
    rule a diagnostic under the cursor reports (its page), and what a StartAt, Next or
    Default under the cursor names."""
    from ..docs import rule_page
    from ..rules import load_rules

    parts = []
    registry = load_rules()
    for rule_id in dict.fromkeys(request.get("rules", ())):
        rule = registry.get(rule_id)
        if rule is not None:  # what --explain prints
            link = f"\n\n[{rule.id}]({rule_url(rule.id)})" if rule_url(rule.id) else ""
            parts.append(f"{rule_page(rule).replace('# ', '### ', 1)}{link}")
    definitions = _definitions(request)  # read once for both
    target = _transition_target(request, definitions) or _field_under_cursor(request, definitions)
    if target:
        parts.insert(0, target)
    return "\n\n---\n\n".join(parts) or None


def _definitions(request: dict):
    """The definitions written in the open file, read as the engine reads them (not those
    of the files a template points to: their text is another document's)."""
    from ..extract import extract_definitions
    from ..source import LoadError, load_documents

    root, path = request["root"], os.path.abspath(request["path"])
    if _inside(root, path) is None:
        return []
    overlay = {os.path.realpath(other): text for other, text in request.get("open", {}).items()}
    overlay[os.path.realpath(path)] = request["text"]
    references = References(project_roots([path], root), overlay=overlay)
    try:
        documents = load_documents(request["text"], path)
    except (LoadError, RecursionError, ValueError):
        return []
    found = []
    mine = os.path.realpath(path)
    for document in documents:
        try:
            found += [definition for definition in extract_definitions(document, path, None, references).definitions
                      if os.path.realpath(definition.file) == mine]
        except Exception:  # noqa: BLE001 - nothing to show is no reason to fail a hover
            continue
    return found


def _transition_target(request: dict, definitions: list) -> str | None:
    from ..context import RuleContext

    lines = Lines(request["text"])
    offset = lines.offset(request["position"], request["encoding"])
    from ..source import LineIndex

    index = LineIndex(request["text"])
    for definition in definitions:
        ctx = RuleContext(definition)
        for graph in ctx.graphs:
            scope = graph.scope
            transitions = [transition for targets in graph.out.values() for found in targets.values()
                           for transition in found] + graph.dangling + graph.unknown_targets
            places = [(scope.path + ("StartAt",), scope.start_at)] + \
                [(transition.path, transition.target) for transition in transitions]
            for path, target in places:
                span = definition.sourcemap.span(path)
                if span is None or not isinstance(target, str):
                    continue
                start = index.line_start(span.line) + span.column - 1
                end = index.line_start(span.end_line) + span.end_column - 1
                if not start <= offset <= end:
                    continue
                state = scope.states.get(target)
                if state is None:
                    return f"`{target}`: no state of {scope.label} has this name"
                where = definition.sourcemap.span(scope.state_path(target), "key")
                line = f", line {where.line}" if where is not None else ""
                return f"`{target}`: a **{state.get('Type', '?')}** state of {scope.label}{line}"
    return None


def _field_under_cursor(request: dict, definitions: list) -> str | None:
    """The documentation of the field whose name is under the cursor: of a state, a scope,
    a Choice rule, a Retrier or a Catcher."""
    from ..context import RuleContext
    from ..lang.field_docs import field_doc
    from ..source import LineIndex

    offset = Lines(request["text"]).offset(request["position"], request["encoding"])
    index = LineIndex(request["text"])
    for definition in definitions:
        ctx = RuleContext(definition)
        objects = [(scope.path, scope.data) for scope in ctx.scopes]
        objects += [(state.path, state.data) for state in ctx.states]
        objects += [(rule.path, rule.data) for rule in ctx.index.choice_rules]
        objects += [(handler.path[:-1], handler.data) for handler in ctx.index.handlers]
        for path, data in objects:
            for key in data:
                span = definition.sourcemap.span(path + (key,), "key")
                if span is not None and _offsets(span, index)[0] <= offset < _offsets(span, index)[1]:
                    doc = field_doc(key) if isinstance(key, str) else None
                    return f"**{key}**: {doc}" if doc else None
    return None


# ---- code actions


def actions(request: dict) -> list[dict]:
    """{"root", "path", "text", "open", "encoding", "diagnostics": [LSP diagnostics with
    our data]} -> code actions: each fix, and suppressions for the line, the state and the
    file. Edits are {path: [{"range", "newText"}]}."""
    found = []
    for diagnostic in request["diagnostics"]:
        data = diagnostic.get("data") or {}
        fix = data.get("fix")
        if fix:
            edits: dict[str, list] = {}
            for edit in fix["edits"]:
                edits.setdefault(edit["path"], []).append({"range": edit["range"], "newText": edit["newText"]})
            found.append({"title": fix["title"] + ("" if fix["safe"] else " (unsafe)"), "kind": "quickfix",
                          "isPreferred": fix["safe"], "edits": edits, "diagnostic": diagnostic})
    for diagnostic in request["diagnostics"]:
        data = diagnostic.get("data") or {}
        if data.get("rule"):
            found += [{**action, "diagnostic": diagnostic} for action in _suppressions(request, data)]
    return found


def _suppressions(request: dict, data: dict) -> list[dict]:
    from ..fixes import suppress
    from ..model import value_at

    rule, path, text, encoding = data["rule"], request["path"], request["text"], request["encoding"]
    lines = Lines(text)
    yaml_file = path.lower().endswith((".yaml", ".yml")) and not path.lower().endswith(".json")
    found = []
    if yaml_file and _comment_fits_before(text, data["line"]):
        start = lines.starts[max(0, data["line"] - 1)] if data["line"] - 1 < len(lines.starts) else len(text)
        line_text = lines._line(data["line"] - 1)[1]
        indent = line_text[:len(line_text) - len(line_text.lstrip(" "))]
        found.append(_action(f"Disable {rule} for this line", path, lines, encoding, start, start,
                             f"{indent}# asl-lint: disable-next-line={rule}\n"))
    definition = _definition_of(request, data)
    pointer = _path(data.get("pointer") or "")
    if definition is not None and data.get("state"):
        state_path = _state_path(pointer)
        if state_path is not None:
            fix = _fix(definition, suppress(state_path, value_at(definition.data, state_path + ("Comment",)), rule,
                                            f"Disable {rule} for state '{data['state']}'"))
            if fix is not None:
                found.append(_fix_action(fix, path, text, encoding))
    if yaml_file:
        found.append(_action(f"Disable {rule} for this file", path, lines, encoding, 0, 0,
                             f"# asl-lint: disable-file={rule}\n"))
    elif definition is not None:
        fix = _fix(definition, suppress((), value_at(definition.data, ("Comment",)), rule,
                                        f"Disable {rule} for this state machine"))
        if fix is not None:
            found.append(_fix_action(fix, path, text, encoding))
    return found


def _state_path(pointer: tuple) -> tuple | None:
    """The path of the innermost state a pointer is in."""
    last = None
    for index in range(len(pointer) - 1):
        if pointer[index] == "States":
            last = pointer[:index + 2]
    return last


def _path(pointer: str) -> tuple:
    parts = pointer.split("/")[1:] if pointer else []
    return tuple(int(part) if part.isdigit() else part.replace("~1", "/").replace("~0", "~") for part in parts)


def _definition_of(request: dict, data: dict):
    for definition in _definitions(request):
        if definition.machine == data.get("machine"):
            return definition
    return None


def _fix(definition, proposal):
    from ..fixes import fix_for

    try:
        return fix_for(definition, proposal)
    except Exception:  # noqa: BLE001 - no action is better than a failed request
        return None


def _fix_action(fix, path: str, text: str, encoding: str) -> dict:
    lines = Lines(text)
    return {"title": fix.title, "kind": "quickfix", "isPreferred": False, "edits": {path: [
        {"range": {"start": lines.at_offset(edit.start, encoding), "end": lines.at_offset(edit.end, encoding)},
         "newText": edit.text} for edit in fix.edits]}}


def _action(title: str, path: str, lines: Lines, encoding: str, start: int, end: int, new: str) -> dict:
    return {"title": title, "kind": "quickfix", "isPreferred": False, "edits": {path: [
        {"range": {"start": lines.at_offset(start, encoding), "end": lines.at_offset(end, encoding)},
         "newText": new}]}}


def _comment_fits_before(text: str, line: int) -> bool:
    """Whether a comment line can go before 1-based `line` of a YAML text: not inside a
    scalar or a flow collection that spans lines (it would become part of it)."""
    import yaml

    try:
        nodes = [node for node in yaml.compose_all(text, Loader=yaml.SafeLoader) if node is not None]
    except yaml.YAMLError:
        return False
    target = line - 1
    stack = list(nodes)
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue  # an alias: its node was looked at where it is defined
        seen.add(id(node))
        spans = node.start_mark.line < target <= node.end_mark.line
        if isinstance(node, yaml.ScalarNode):
            if spans and (node.style or node.end_mark.line > node.start_mark.line):
                return False
        elif getattr(node, "flow_style", False) and spans:
            return False
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return True


# ---- states: symbols, folding, definition, references, rename


@dataclasses.dataclass
class _Name:
    """A state's name where it is written: its key (the state itself) or a string that
    names it (StartAt, Next, Default, a Choice rule's or a Catcher's Next)."""

    definition: object
    scope: object  # model.Scope
    name: str
    path: tuple
    declaration: bool
    span: object  # source.Span


def _names(request: dict) -> list[_Name]:
    """Every state name of the open file, by the engine's reading of it (plain ASL, a
    template, serverless or Terraform alike): each definition, each scope."""
    from ..context import RuleContext
    from ..model import transitions

    found = []
    for definition in _definitions(request):
        ctx = RuleContext(definition)
        sourcemap = definition.sourcemap
        for scope in ctx.scopes:
            for name in scope.states:
                span = sourcemap.span(scope.state_path(name), "key")
                if span is not None:
                    found.append(_Name(definition, scope, name, scope.state_path(name), True, span))
            if isinstance(scope.start_at, str):
                span = sourcemap.span(scope.path + ("StartAt",))
                if span is not None:
                    found.append(_Name(definition, scope, scope.start_at, scope.path + ("StartAt",), False, span))
        for state in ctx.states:
            for transition in transitions(state):
                span = sourcemap.span(transition.path)
                if span is not None:
                    found.append(_Name(definition, state.scope, transition.target, transition.path, False, span))
    return found


def _offsets(span, index) -> tuple[int, int]:
    return index.line_start(span.line) + span.column - 1, index.line_start(span.end_line) + span.end_column - 1


def _at_cursor(request: dict, names: list[_Name]) -> _Name | None:
    from ..source import LineIndex

    offset = Lines(request["text"]).offset(request["position"], request["encoding"])
    index = LineIndex(request["text"])
    inside = [name for name in names if _offsets(name.span, index)[0] <= offset <= _offsets(name.span, index)[1]]
    return min(inside, key=lambda name: _offsets(name.span, index)[1] - _offsets(name.span, index)[0], default=None)


def _same_state(one: _Name, other: _Name) -> bool:
    return one.definition is other.definition and one.scope.path == other.scope.path and one.name == other.name


def _location(request: dict, name: _Name, lines: Lines) -> dict:
    encoding = request["encoding"]
    return {"path": os.path.abspath(request["path"]), "range": {
        "start": lines.position(name.span.line, name.span.column, encoding),
        "end": lines.position(name.span.end_line, name.span.end_column, encoding)}}


def definition(request: dict) -> list[dict]:
    """{..., "position"} -> the key of the state the name under the cursor names (in its
    scope: a Parallel branch or a Map processor has its own states)."""
    names = _names(request)
    here = _at_cursor(request, names)
    if here is None:
        return []
    lines = Lines(request["text"])
    return [_location(request, name, lines) for name in names if name.declaration and _same_state(name, here)]


def references(request: dict) -> list[dict]:
    """{..., "position", "declaration": bool} -> every place that names the same state."""
    names = _names(request)
    here = _at_cursor(request, names)
    if here is None:
        return []
    lines = Lines(request["text"])
    return [_location(request, name, lines) for name in names
            if _same_state(name, here) and (request.get("declaration", True) or not name.declaration)]


def prepare_rename(request: dict) -> dict | None:
    """The range of the state name under the cursor, and the name; None: nothing to rename."""
    here = _at_cursor(request, _names(request))
    if here is None:
        return None
    return {"range": _location(request, here, Lines(request["text"]))["range"], "placeholder": here.name}


def rename(request: dict) -> dict:
    """{..., "position", "newName"} -> {"edits": {path: [edit]}} renaming the state under
    the cursor in its key and every name of it in its scope, or {"error": why}."""
    from ..fixes import fix_for
    from ..proposals import Change, Proposal

    names = _names(request)
    here = _at_cursor(request, names)
    new = request["newName"]
    if here is None:
        return {"error": "there is no state name here"}
    if not isinstance(new, str) or not new or len(new) > 80:
        return {"error": "a state name is 1 to 80 characters long"}
    if new != here.name and new in here.scope.states:
        return {"error": f"{here.scope.label} already has a state named '{new}'"}
    same = [name for name in names if _same_state(name, here)]
    changes = tuple(Change("rename", name.path, new) if name.declaration else Change("replace", name.path, new)
                    for name in same)
    fix = fix_for(here.definition, Proposal(f"Rename '{here.name}' to '{new}'", changes))
    if fix is None:
        return {"error": f"'{here.name}' cannot be renamed here: part of it comes from a template's variable"}
    lines = Lines(request["text"])
    encoding = request["encoding"]
    return {"edits": {os.path.abspath(request["path"]): [
        {"range": {"start": lines.at_offset(edit.start, encoding), "end": lines.at_offset(edit.end, encoding)},
         "newText": edit.text} for edit in fix.edits]}}


def symbols(request: dict) -> list[dict]:
    """The outline: each state machine, its states by scope (a Parallel's branches and a
    Map's processor inside their state), each with its type."""
    lines = Lines(request["text"])
    encoding = request["encoding"]
    found = []

    def place(span) -> dict:
        return {"start": lines.position(span.line, span.column, encoding),
                "end": lines.position(span.end_line, span.end_column, encoding)}

    for definition in _definitions(request):
        states = _scope_symbols(definition, (), place)
        whole = definition.sourcemap.span((), "member") or definition.sourcemap.span(())
        if definition.machine is not None and whole is not None:  # a template's machine: its states inside it
            found.append({"name": definition.machine, "kind": "machine", "detail": "state machine",
                          "range": place(whole), "selectionRange": place(whole), "children": states})
        else:
            found += states
    return found


def _scope_symbols(definition, scope_path: tuple, place) -> list[dict]:
    from ..model import iter_scopes

    scopes = {scope.path: scope for scope in iter_scopes(definition.data)}
    scope = scopes.get(scope_path)
    if scope is None:
        return []
    found = []
    for name, state in scope.states.items():
        path = scope.state_path(name)
        whole, key = definition.sourcemap.span(path, "member"), definition.sourcemap.span(path, "key")
        if whole is None or key is None:
            continue
        children = []
        for child in scopes.values():
            if child.owner == name and child.path[:len(path)] == path and len(child.path) > len(path):
                inner = _scope_symbols(definition, child.path, place)
                span = definition.sourcemap.span(child.path, "member") or definition.sourcemap.span(child.path)
                if span is not None:
                    label = child.label.split(" of ")[0] if child.label.startswith("branch") else child.path[-1]
                    children.append({"name": str(label), "kind": "scope", "detail": "", "range": place(span),
                                     "selectionRange": place(span), "children": inner})
        found.append({"name": name, "kind": "state", "detail": str(state.get("Type", "")), "range": place(whole),
                      "selectionRange": place(key), "children": children})
    return found


def folding(request: dict) -> list[dict]:
    """A fold for each state and each Parallel branch or Map processor that spans lines."""
    found = []
    for definition in _definitions(request):
        from ..model import iter_scopes

        for scope in iter_scopes(definition.data):
            places = [definition.sourcemap.span(scope.state_path(name), "member") for name in scope.states]
            if scope.path:
                places.append(definition.sourcemap.span(scope.path, "member"))
            for span in places:
                if span is not None and span.end_line > span.line:
                    found.append({"startLine": span.line - 1, "endLine": span.end_line - 1})
    return sorted({(f["startLine"], f["endLine"]): f for f in found}.values(), key=lambda f: (f["startLine"], f["endLine"]))


# ---- the state graph


def graph(request: dict) -> list[dict]:
    """Each state machine of the open file drawn in Mermaid, as `--graph` draws it, with its
    findings highlighted: [{"machine", "line" (0-based, where it starts), "mermaid"}]."""
    from ..graph import Machine, mermaid

    config = _config(request["root"], os.path.abspath(request["path"]))
    overlay = {os.path.realpath(other): text for other, text in request.get("open", {}).items()}
    overlay[os.path.realpath(request["path"])] = request["text"]
    findings = list(lint_paths([os.path.abspath(request["path"])], config, overlay=overlay).diagnostics)
    found = []
    for definition in _definitions(request):
        mine = [d for d in findings if d.machine == definition.machine]
        where = definition.sourcemap.span(())
        found.append({"machine": definition.machine, "line": where.line - 1 if where is not None else 0,
                      "mermaid": mermaid(Machine(definition.file, definition.machine, definition.data), mine)})
    return found


def fix_all(request: dict) -> dict:
    """{..., "diagnostics": the document's, with our data} -> {"edits": {path: [edit]}}:
    every safe fix, the first of overlapping ones."""
    taken: list[tuple] = []
    edits: dict[str, list] = {}
    for diagnostic in request["diagnostics"]:
        fix = (diagnostic.get("data") or {}).get("fix")
        if not fix or not fix["safe"]:
            continue
        spans = [(edit["path"], (edit["range"]["start"]["line"], edit["range"]["start"]["character"]),
                  (edit["range"]["end"]["line"], edit["range"]["end"]["character"])) for edit in fix["edits"]]
        if any(_overlap(span, other) for span in spans for other in taken):
            continue  # it overlaps a fix already taken: the next check offers it again
        taken += spans
        for edit in fix["edits"]:
            edits.setdefault(edit["path"], []).append({"range": edit["range"], "newText": edit["newText"]})
    return {"edits": edits}


def _overlap(one: tuple, other: tuple) -> bool:
    """Whether two edits (path, start, end) touch the same text (two inserts at one place do)."""
    return one[0] == other[0] and (one[1] < other[2] and other[1] < one[2] or one[1] == other[1])


# ---- completion


def completion(request: dict) -> list[dict]:
    """{..., "position", "parsed": the last text that parsed, when this one does not} ->
    completion items (lsp.completion)."""
    from ..context import RuleContext
    from .completion import complete

    model = [(definition, RuleContext(definition)) for definition in _definitions(request)]
    if not model and request.get("parsed"):
        earlier = {**request, "text": request["parsed"]}
        model = [(definition, RuleContext(definition)) for definition in _definitions(earlier)]
    lines = Lines(request["text"])
    encoding = request["encoding"]
    offset = lines.offset(request["position"], encoding)
    found = complete(request, model, lines)
    for item in found:  # what the item replaces: the characters typed of it
        item["range"] = {"start": lines.at_offset(offset - item.pop("replace"), encoding),
                         "end": lines.at_offset(offset, encoding)}
    return found
