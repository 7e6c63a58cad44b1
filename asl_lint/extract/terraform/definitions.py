"""From a `definition` attribute to a Definition: jsonencode objects, JSON strings and
heredocs, `file`/`templatefile` and `template_file` data sources, references."""

from __future__ import annotations

import dataclasses
import posixpath
import re

from ...context import Definition
from ...model import value_at
from ...source import Document, LoadError, Location, load_document, load_template_document
from ...source.hcl import HclFile, TextBuilder, child, children, decode_literal, unwrap
from ...edits import removal_fix
from ..base import Host, Note, too_large_for
from ..embedded import EmbeddedSourceMap, Piece
from ..placeholders import placeholder_paths
from .functions import MAX_NESTING, TooDeep
from .machines import block_attributes, literal_string
from .modules import Context, REFERENCE
from .values import MAX_HOPS, Values, object_key, source_shown, template_text


_MAX_RENDERS = 4  # distinct renders of one template checked each on their own


def definition_of(context: Context, node, at) -> Definition | None:
    """The definition an expression gives, or None (with a note saying why)."""
    hcl = context.hcl
    value = unwrap(node)
    kind = value.type
    if kind == "function_call":
        name = hcl.source(child(value, "identifier"))
        arguments = children(child(value, "function_arguments"), "expression") \
            if child(value, "function_arguments") is not None else []
        if name == "jsonencode" and len(arguments) == 1:
            return _object_definition(context, arguments[0])
        if name in ("templatefile", "file") and arguments:
            return _file_definition(context, name, arguments[0], arguments[1] if len(arguments) > 1 else None)
        if name in ("trimspace", "chomp") and len(arguments) == 1:
            return definition_of(context, _inside_calls(hcl, arguments[0], ("trimspace", "chomp")), at)
        return _not_checkable(context, f"it is built by {name}(), which asl-lint does not evaluate", at)
    if kind in ("quoted_template", "heredoc_template", "string_lit"):
        return _text_definition(context, value, at)
    if kind == "variable_expr" or (node.type == "expression" and child(node, "variable_expr") is not None):
        parts = hcl.source(node).split(".")
        if len(parts) == 2 and parts[0] in ("local", "var") and re.fullmatch(r"[\w-]+", parts[1]):
            return _followed(context, parts[0], parts[1], at)
        if len(parts) == 4 and parts[:2] == ["data", "template_file"] and parts[3] == "rendered":
            return _template_data_source(context, parts[2], at)
    return _not_checkable(context, f"it is {source_shown(hcl, value)}, known only when Terraform plans", at)


def _inside_calls(hcl: HclFile, node, names: tuple[str, ...]):
    """What calls of these one-argument functions wrap (`trimspace(chomp(x))` -> x), read
    without recursion; raises TooDeep past MAX_NESTING."""
    for _ in range(MAX_NESTING):
        value = unwrap(node)
        arguments = child(value, "function_arguments") if value.type == "function_call" else None
        inner = children(arguments, "expression") if arguments is not None else []
        if arguments is None or hcl.source(child(value, "identifier")) not in names or len(inner) != 1:
            return node
        node = inner[0]
    raise TooDeep(node)


def _not_checkable(context: Context, why: str, at) -> None:
    context.note("ASL008", f"state machine '{context.machine}' cannot be checked here: {why}", at)
    return None


def _followed(context: Context, kind: str, name: str, at) -> Definition | None:
    if context.hops >= MAX_HOPS:
        context.note("ASL015", f"{kind}.{name} refers to itself, or through more than {MAX_HOPS} locals and"
                               " variables: not followed", at)
        return None
    found = context.module.value_of(kind, name)
    if found is None:
        what = "no locals block of the module sets it" if kind == "local" else \
            "its variable has no default in the module and no tfvars file (terraform.tfvars, *.auto.tfvars," \
            " --var-file, --var) gives it: Terraform gets it when it plans"
        return _not_checkable(context, f"it is {kind}.{name}, and {what}", at)
    if _empty_string(found[1].syntax, found[2]):
        return _not_checkable(context, f"{kind}.{name} is an empty string here (a module's default): the"
                                       " definition is what its caller passes", at)
    key = (kind, name, context.hops)
    known = context.module.followed.get(key)
    if known is not None:  # read for another machine already: the same definition
        return dataclasses.replace(known)
    path, document, expression = found
    inner = Context(context.host, path, document.syntax, document, context.machine, context.notes, context.module,
                     context.hops + 1)
    definition = definition_of(inner, expression, expression)
    if definition is not None:
        definition.shared = True  # every machine that uses it gets the findings of one check
        context.module.followed[key] = definition
        definition = dataclasses.replace(definition)
    return definition


def _empty_string(hcl: HclFile, node) -> bool:
    """Whether a value is "" (or white space): a module's way of saying "no definition given"."""
    text = literal_string(hcl, node)
    return text is not None and not text.strip()


def _object_definition(context: Context, node) -> Definition | None:
    values = Values(context)
    try:
        data = values.read(node)
    except LoadError as error:
        context.notes.append(Note("ASL006", error.message, context.path,
                                  context.document.sourcemap.index.span(error.offset or 0, error.offset or 0),
                                  context.machine))
        return None
    unknown = [part for part in ((), ("States",), ("StartAt",)) if part in values.placeholders]
    if unknown:  # the machine's shape itself is known only at plan time: say so, never a silent pass
        what = "its definition is" if unknown[0] == () else f"the {unknown[0][0]} of its definition is"
        expression = source_shown(context.hcl, values.located.nodes.get(unknown[0], (node,))[0])
        return _not_checkable(context, f"{what} built by an expression asl-lint does not evaluate ({expression}),"
                                       " known only when Terraform plans", node)
    # No ASL504 check: every value comes from the text itself (a reference, a loop or a
    # directive is one placeholder, not its expansion), so nothing here multiplies text;
    # values that locals, functions and for expressions build are bounded by the budget.
    return Definition(data, context.path, values.sourcemap, placeholders=values.placeholders,
                      duplicates=values.duplicates, substituted=values.substituted)


def _text_definition(context: Context, node, at) -> Definition | None:
    """A heredoc or a string of JSON, mapped character by character into the .tf file."""
    if node.type == "string_lit":
        literal = child(node, "template_literal")
        built = TextBuilder()
        if literal is not None:
            built.literal(context.hcl.source(literal), context.hcl.start(literal), True)
        piece = built.piece()
    else:
        piece = template_text(context, node)
    host_path = ("terraform", context.machine, "definition")
    context.document.sourcemap.add(host_path, Location(context.hcl.start(node), context.hcl.end(node)))
    pieces = [Piece(0, len(piece.text), host_path, lambda: piece.to_host)]
    try:
        inner = load_document(piece.text, "definition.json", "json")
    except LoadError as error:
        if piece.has_directives:
            return _not_checkable(context, "its %{ } template directives make text asl-lint cannot read as JSON", at)
        where = EmbeddedSourceMap(None, pieces, context.document).span_of_offsets(error.offset or 0,
                                                                                   error.offset or 0)
        rule = "ASL006" if error.kind == "too-complex" else "ASL001"
        context.notes.append(Note(rule, f"definition: {error.message}", context.path, where, context.machine))
        return None
    sourcemap = EmbeddedSourceMap(inner.sourcemap, pieces, context.document)
    placeholders = placeholder_paths(inner.data) | inner.placeholders
    return Definition(inner.data, context.path, sourcemap, placeholders=placeholders, duplicates=inner.duplicates)


def _path_of(context: Context, node, depth: int = 0) -> str | None:
    """A template's path, when it is a literal, `${path.module}/...`, `abspath(...)` or
    `format("%s/...", path.module)`: relative to the module, as Terraform reads it."""
    hcl = context.hcl
    if depth > MAX_NESTING:
        raise TooDeep(node)
    node = unwrap(node)
    module = posixpath.dirname(context.path.replace("\\", "/"))
    known = {"path.module": module or ".", "path.root": module or ".", "path.cwd": "."}
    if node.type == "string_lit":
        return literal_string(hcl, node)
    if node.type == "quoted_template":
        built = []
        for part in children(node):
            if part.type == "template_literal":
                built.append(decode_literal(hcl.source(part), True)[0])
            elif part.type == "template_interpolation":
                inner = child(part, "expression")
                reference = hcl.source(inner).strip() if inner is not None else ""
                value = known.get(reference) if reference in known else \
                    _known_string(context, inner, depth) if inner is not None else None
                if value is None:
                    return None
                built.append(value)
            elif part.type not in ("quoted_template_start", "quoted_template_end"):
                return None
        return "".join(built)
    if node.type == "function_call":
        name = hcl.source(child(node, "identifier"))
        arguments = children(child(node, "function_arguments"), "expression") \
            if child(node, "function_arguments") is not None else []
        if name == "abspath" and len(arguments) == 1:
            return _path_of(context, _inside_calls(hcl, arguments[0], ("abspath",)), depth + 1)
        if name == "format" and arguments:
            pattern = _path_of(context, arguments[0], depth + 1)
            values = [hcl.source(argument).strip() for argument in arguments[1:]]
            values = [known.get(value) or _path_of(context, argument, depth + 1)
                      for value, argument in zip(values, arguments[1:])]
            pieces = pattern.split("%s") if pattern is not None and "%%" not in pattern else []
            if None not in values and len(pieces) == len(values) + 1:
                return "".join(piece + value for piece, value in zip(pieces, [*values, ""]))
        return None
    if hcl.source(node).strip() in known:
        return known[hcl.source(node).strip()]
    return _known_string(context, node, depth)


def _literal_text(context: Context, node) -> str | None:
    """The text a known literal renders as in a template: a string as it is, a number as
    written, true or false; a local or variable that is one of those; else None."""
    value = unwrap(node)
    if value.type in ("numeric_lit", "bool_lit"):
        return context.hcl.source(value)
    try:
        return _path_of(context, node) if value.type in ("string_lit", "expression", "variable_expr") else None
    except TooDeep:
        return None


def _known_string(context: Context, node, depth: int) -> str | None:
    """The text a `local.x` or `var.x` (default, tfvars, --var) stands for, when the module
    knows it: a string, or a path built of known parts; None otherwise."""
    match = REFERENCE.fullmatch(context.hcl.source(node).strip())
    found = context.module.value_of(match.group(1), match.group(2)) if match else None
    if found is None:
        return None
    file, document, value = found
    inner = dataclasses.replace(context, path=file if not file.startswith("<") else context.path,
                                hcl=document.syntax, document=document)
    return _path_of(inner, value, depth + 1)


def _template_data_source(context: Context, name: str, at) -> Definition | None:
    """`data.template_file.NAME.rendered`: the template_file data source, read as
    templatefile() reads its file (its `template = file(...)` and its `vars`)."""
    if context.hops >= MAX_HOPS:
        context.note("ASL015", f"data.template_file.{name} renders itself, or through more than {MAX_HOPS} locals,"
                               " variables and template_file sources: not followed", at)
        return None
    found = context.module.find("template_file", name)
    if found is not None:
        path, document, block = found
        hcl = document.syntax
        attributes = block_attributes(hcl, block)
        inner = Context(context.host, path, hcl, document, context.machine, context.notes, context.module,
                         context.hops + 1)
        template = unwrap(attributes["template"]) if "template" in attributes else None
        if template is not None and template.type == "function_call" and \
                hcl.source(child(template, "identifier")) == "file" and child(template, "function_arguments"):
            source = children(child(template, "function_arguments"), "expression")[0]
            return _file_definition(inner, "templatefile", source, attributes.get("vars"),
                                    renderer=f"data.template_file.{name}")
        if template is not None:
            return definition_of(inner, template, template)
    return _not_checkable(context, f"it is data.template_file.{name}.rendered, and no template_file data"
                                   f" source of the module is named {name}", at)


def _file_definition(context: Context, function: str, path_node, variables_node,
                     renderer: str = "templatefile()") -> Definition | None:
    hcl = context.hcl
    written = _path_of(context, path_node)
    if written is None:
        return _not_checkable(context, f"the path {function}() reads is computed: {source_shown(hcl, path_node)}",
                              path_node)
    # path.module was made the module's directory already; a bare relative path is relative
    # to where Terraform runs, the root module: the directory of the file being linted
    # (also when the expression is in a module it calls).
    root = posixpath.dirname(context.host.file.replace("\\", "/"))
    from_module = written if root and written.startswith(root + "/") else posixpath.join(root, written)
    resolved = written if posixpath.isabs(written) else posixpath.normpath(from_module)
    at = ("terraform", context.machine, function)
    context.document.sourcemap.add(at, Location(hcl.start(path_node), hcl.end(path_node)))
    holder = Host(context.document, context.path, context.host.references)
    parse = load_template_document if function == "templatefile" else load_document
    loaded = holder.load_reference(written, at, context.machine, context.notes, f"{function}()", resolved=resolved,
                                   parse=parse)
    if loaded is None:
        return None
    path, document = loaded
    from ..base import shape_problem

    problem = shape_problem(document.data)
    if problem is not None:
        context.notes.append(Note("ASL014", f"{function}('{written}') {problem}", path, document.sourcemap.span(()),
                                  context.machine))
        return None
    memo = context.host.references.memo  # what a template alone decides, once for all its calls
    if ("too-large", path) not in memo:
        memo[("too-large", path)] = too_large_for(document.data, len(document.text))
        memo[("placeholders", path)] = placeholder_paths(document.data) | document.placeholders
    too_large = memo[("too-large", path)]
    if too_large is not None:
        context.notes.append(Note("ASL504", too_large, path, document.sourcemap.span((), "key"), context.machine))
        return None
    placeholders = set(memo[("placeholders", path)])
    if function == "file":  # read as it is: a ${...} in it reaches Step Functions as text
        return Definition(document.data, path, document.sourcemap, placeholders=placeholders,
                          duplicates=document.duplicates, substitutions={}, template=context.path,
                          substitution_source="substitution (file() reads the text as it is)")
    literals: dict[str, str] = {}
    variables = _template_variables(context, variables_node, document, path, renderer, literals)
    data = document.data
    renders = memo.setdefault(("renders", path), set())
    key = tuple(sorted(literals.items()))
    rendered: dict[tuple, str] = {}
    if literals and (key in renders or len(renders) < _MAX_RENDERS):
        # What Terraform renders from known values, at the place of each ${name}; past
        # _MAX_RENDERS distinct renders of one template its uses stay placeholders (and
        # share one check): 150 calls with 150 values cost 5 checks, not 150.
        renders.add(key)
        data, placeholders, rendered = _rendered(data, placeholders, literals)
    return Definition(data, path, document.sourcemap, placeholders=placeholders,
                      duplicates=document.duplicates, substitutions=variables, template=context.path,
                      substitution_source=renderer, substituted=rendered)


_TEMPLATE_NAME = re.compile(r"\$\{\s*([A-Za-z_][\w-]*)\s*\}")


def _rendered(data: object, placeholders: set[tuple],
              literals: dict[str, str]) -> tuple[object, set[tuple], dict[tuple, str]]:
    """The template's data with each `${name}` of a known variable replaced by its text, as
    Terraform renders it (strings only: the value's place in the file stays the token's);
    the placeholders that are then known are no longer placeholders. The template's own
    data, shared by every call, is left as it is: what changes is copied."""
    import copy

    changed: list[tuple[tuple, str]] = []
    for path in placeholders:
        value = value_at(data, path)
        if isinstance(value, str) and "${" in value:
            new = _TEMPLATE_NAME.sub(lambda match: literals.get(match.group(1), match.group(0)), value)
            if new != value:
                changed.append((path, new))
    if not changed:
        return data, placeholders, {}
    written = {path: value_at(data, path) for path, _ in changed}
    data = copy.deepcopy(data)
    placeholders = set(placeholders)
    for path, new in changed:
        parent = value_at(data, path[:-1])
        parent[path[-1]] = new
        if "${" not in new and "%{" not in new:
            placeholders.discard(path)
    return data, placeholders, written


def _template_variables(context: Context, node, document: Document, path: str, renderer: str,
                        literals: dict | None = None) -> dict:
    """The variables `templatefile()` passes, as substitutions: each key of the map, each
    `${...}` of the template whose names are all keys (an expression of them), and each
    escaped `$${...}`, which Terraform writes as it is. A key the template never uses is
    ASL010, at the key."""
    hcl = context.hcl
    value = unwrap(node) if node is not None else None
    keys: dict[str, object] = {}
    elements: dict[int, object] = {}  # key node id -> its `name = value` element
    match = REFERENCE.fullmatch(hcl.source(value).strip()) if value is not None else None
    found = context.module.value_of(match.group(1), match.group(2)) if match else None
    if found is not None and unwrap(found[2]).type == "object":  # var.definition_variables with a default
        if found[1].syntax is hcl:
            value = unwrap(found[2])
        else:  # in another file (a module call's argument): its names and values count, its places are not here
            other = dataclasses.replace(context, path=found[0], hcl=found[1].syntax, document=found[1])
            for element in children(unwrap(found[2]), "object_elem"):
                parts = children(element, "expression")
                if len(parts) == 2:
                    name = object_key(other.hcl, parts[0])
                    keys[name] = None
                    known = _literal_text(other, parts[1])
                    if known is not None and literals is not None:
                        literals[name] = known
            value = None
    if value is None:
        pass  # no variables at all, or their names only
    elif value.type == "object":
        for element in children(value, "object_elem"):
            parts = children(element, "expression")
            if len(parts) == 2:
                keys[object_key(hcl, parts[0])] = parts[0]
                elements[parts[0].id] = element
                known = _literal_text(context, parts[1])
                if known is not None and literals is not None:
                    literals[object_key(hcl, parts[0])] = known
    elif value is not None:
        return {"": None}  # a map built some other way: any name may be in it
    used: set[str] = set()
    known = dict.fromkeys(keys)
    for escaped, interpolation, expression, names in _template_expressions(context, path, document):
        if escaped:
            known[expression] = None  # $${...} is written as it is: no variable
            continue
        used |= names & set(keys)
        if interpolation and names and names <= set(keys):
            known[expression] = None
    for name, key_node in keys.items():
        if name not in used and key_node is not None:
            element = elements[key_node.id]
            fix = removal_fix(hcl.text, hcl.start(element), hcl.end(element), f"Remove the variable '{name}'",
                              safe=False)  # the template may use it where asl-lint does not look
            context.note("ASL010", f"{renderer} variable '{name}' is not used by {path}", key_node, fix)
    return known


def _template_expressions(context: Context, path: str, document: Document) -> list[tuple]:
    """(escaped, interpolation, expression, names) of each `${...}`, `$${...}` and `%{...}`
    of a template as written (its directives name variables too), found once per run."""
    memo = context.host.references.memo
    if ("expressions", path) not in memo:
        try:
            text = context.host.references.read(path)
        except Exception:  # noqa: BLE001 - it was read a moment ago
            text = document.text
        found = []
        for match in re.finditer(r"(\$\$?)\{([^{}]*)\}|%\{([^{}]*)\}", text):
            expression = match.group(2) if match.group(2) is not None else match.group(3)
            names = set(re.findall(r"\b[A-Za-z_][\w-]*\b(?!\s*\()", expression)) - _TEMPLATE_KEYWORDS
            found.append((match.group(1) == "$$", match.group(2) is not None, expression, frozenset(names)))
        memo[("expressions", path)] = list(dict.fromkeys(found))  # each distinct one once
    return memo[("expressions", path)]


_TEMPLATE_KEYWORDS = {"if", "else", "endif", "for", "endfor", "in", "true", "false", "null"}
