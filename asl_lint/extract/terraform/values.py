"""Evaluating expressions: an HCL value as plain data with a source map, references
followed through locals and variables, templates rendered with their directives."""

from __future__ import annotations

import dataclasses
import re
import sys

from ...limits import MAX_VALUE_DEPTH
from ...source import DuplicateKey, LoadError, SourceMap
from ...source.hcl import (WRAPPERS, HclFile, TextBuilder, TextPiece, check_depth, child, children, literal_text,
                           load_hcl_document, trimmed, unwrap)
from .functions import KNOWN_FUNCTIONS, MAX_NESTING, OPERATORS, TooDeep
from .positions import NodeLocations
from .machines import literal_string
from .modules import Context, REFERENCE, attributes_of_body


MAX_HOPS = 64  # local.a = local.b = ... followed this far (a cycle stops at once)


_MAX_FOLLOWED_VALUES = 500_000


_UNKNOWN = object()  # a value known only when Terraform plans


def _placeholder_text(hcl: HclFile, node) -> str:
    """What stands for a value known only at plan time: '${...}' around the expression,
    with nothing that could end the token."""
    return "${" + re.sub(r"[{}\"\s]+", "", hcl.source(node))[:80] + "}"


def source_shown(hcl: HclFile, node) -> str:
    """An expression as a message quotes it: on one line, at most 60 characters."""
    text = re.sub(r"\s+", " ", hcl.source(node)).strip()
    return text if len(text) <= 60 else text[:57] + "..."


def object_key(hcl: HclFile, node) -> str:
    inner = node.named_children  # most keys are an identifier: (expression (variable_expr))
    node = inner[0] if len(inner) == 1 and inner[0].type == "variable_expr" else unwrap(node)
    if node.type == "variable_expr":
        return node.text.decode("utf-8", "surrogatepass")  # an identifier: as it is written
    if node.type == "string_lit":
        return literal_string(hcl, node) or ""
    return _placeholder_text(hcl, node)


class Values:
    """An HCL value as plain data, each member's place recorded in a source map."""

    def __init__(self, context: Context, following: set | None = None, budget: list | None = None) -> None:
        self.context = context
        self.sourcemap = SourceMap(context.document.sourcemap.index)
        self.located = NodeLocations(context.hcl)
        self.sourcemap.locations = self.located
        self.placeholders: set[tuple] = set()
        self.duplicates: list[DuplicateKey] = []
        self.following = following if following is not None else set()  # (kind, name) being read: no loops
        self.substituted: dict[tuple, str] = {}  # paths read through a reference to another file -> its text
        self.scope: dict[str, object] = {}  # the names a `for` expression binds, while its body is read
        self.budget = budget if budget is not None else [_MAX_FOLLOWED_VALUES]  # values read through references

    def _followed(self, node, path: tuple, key, depth: int):
        """The value of `local.x` or `var.x` (with a default, or given in a tfvars file)
        where the module knows it, read in place of the reference; None when it is known
        only when Terraform plans, or refers to itself."""
        hcl = self.context.hcl
        match = REFERENCE.fullmatch(hcl.source(node).strip())
        if match is None:
            parts = node.named_children if node.type == "expression" else []
            if len(parts) > 2 and parts[0].type == "variable_expr" and parts[1].type == "get_attr" and \
                    REFERENCE.fullmatch(hcl.source(parts[0]) + hcl.source(parts[1])):
                # local.x.Name, var.x["key"][0]: the reference's value, then the steps into it
                base = self._known_reference(parts[0], parts[1], depth)
                return None if base is _UNKNOWN else self._traversed(base, parts[2:])
            return None
        reference = (match.group(1), match.group(2))
        if reference in self.following or len(self.following) >= MAX_HOPS:
            self.context.note("ASL015", f"{reference[0]}.{reference[1]} refers to itself, or through more than"
                                        f" {MAX_HOPS} locals and variables: not followed", node)
            return None
        found = self.context.module.value_of(*reference)
        if found is None:
            return None
        file, document, value = found
        self.following.add(reference)
        try:
            if document.syntax is self.context.hcl:  # in this file: positions at the value itself
                return (self.read(value, path, key, depth + 1),)
            # In another file: the value is read there, and shown at the reference here.
            context = dataclasses.replace(self.context, path=file, hcl=document.syntax, document=document)
            inner = Values(context, self.following, self.budget)
            data = inner.read(value, (), None, depth + 1)
            self.placeholders.update(path + inner_path for inner_path in inner.placeholders)
            self.substituted[path] = self.context.hcl.source(node)  # shown here, written there: no fix here
            return (data,)
        finally:
            self.following.discard(reference)

    def read(self, node, path: tuple = (), key=None, depth: int = 0) -> object:
        hcl = self.context.hcl
        if depth > MAX_VALUE_DEPTH:
            check_depth(depth, hcl.start(node))
        kind = node.type
        while kind in WRAPPERS:  # unwrap(), inline: this runs for every value of a definition
            inner = node.named_children
            if len(inner) != 1:
                inner = [found for found in inner if found.type != "comment"]
                if len(inner) != 1:
                    break
            node = inner[0]
            kind = node.type
        self.located.nodes[path] = (node, key)
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise LoadError(f"locals and variables build a definition of more than {_MAX_FOLLOWED_VALUES:,}"
                            " values: too large to check", self.context.hcl.start(node), "too-complex")
        if kind == "object":
            result: dict = {}
            for element in node.named_children:
                if element.type != "object_elem":
                    continue
                parts = element.named_children
                if len(parts) != 2:
                    parts = children(element, "expression")
                    if len(parts) != 2:
                        continue
                # Interned, as json.loads shares its keys: the rules' lookups ("Type", "Next")
                # then compare by identity.
                name = sys.intern(object_key(hcl, parts[0]))
                if name in result:
                    first = self.located.nodes[path + (name,)][1]
                    self.duplicates.append(DuplicateKey(path, name, hcl.start(first), hcl.start(parts[0])))
                result[name] = self.read(parts[1], path + (name,), parts[0], depth + 1)
            return result
        if kind == "tuple":
            return [self.read(item, path + (index,), None, depth + 1)
                    for index, item in enumerate(children(node, "expression"))]
        if kind == "numeric_lit":
            text = node.text.decode()  # a token: tree-sitter read it as it is written
            try:
                return int(text) if re.fullmatch(r"\d+", text) else float(text)
            except ValueError:
                return text
        if kind == "bool_lit":
            return node.text == b"true"
        if kind == "null_lit":
            return None
        if kind == "string_lit":
            for literal in node.named_children:
                if literal.type == "template_literal":
                    return literal_text(hcl.source(literal), True)
            return ""
        if kind == "operation":
            inner = child(node, "unary_operation")
            operand = unwrap(child(inner, "literal_value")) if inner is not None else None
            if inner is not None and inner.children[0].type == "-" and operand is not None \
                    and operand.type == "numeric_lit":
                value = self.read(operand, path, key, depth + 1)
                if isinstance(value, (int, float)):
                    self.located.nodes[path] = (node, key)
                    return -value
        if kind in ("quoted_template", "heredoc_template"):
            piece = template_text(self.context, node)
            if not any(part.type in ("template_interpolation", "template_directive") for part in children(node)):
                return piece.text
            self.placeholders.add(path)
            return piece.text
        if kind in ("expression", "variable_expr"):
            followed = self._followed(node, path, key, depth) if not self.scope else self._bound(node)
            if followed is None and self.scope:
                followed = self._followed(node, path, key, depth)
            if followed is not None:
                self.located.nodes.setdefault(path, (node, key))
                return followed[0]
        if kind == "conditional":
            parts = children(node, "expression")
            condition = self._known(parts[0], depth) if len(parts) == 3 else _UNKNOWN
            if isinstance(condition, bool):  # known: the branch Terraform takes, read where it is written
                return self.read(parts[1] if condition else parts[2], path, key, depth + 1)
        elif kind == "function_call":
            value = self._call(node, depth)
            if value is not _UNKNOWN:
                return value
        elif kind == "operation":
            value = self._operation(node, depth)
            if value is not _UNKNOWN:
                return value
        elif kind in ("for_tuple_expr", "for_object_expr"):  # for_expr is unwrapped like a parenthesis
            value = self._for(node, depth)
            if value is not _UNKNOWN:
                return value
        self.placeholders.add(path)  # a reference, a call, a conditional, a for: known at plan time
        return _placeholder_text(hcl, node)

    # ---- values known in the code: what Terraform would compute from them

    def _known_reference(self, variable, attribute, depth: int) -> object:
        """The value of `local.x` or `var.x` written as two syntax nodes, or _UNKNOWN."""
        text = self.context.hcl.source(variable) + self.context.hcl.source(attribute)
        document = load_hcl_document(f"_ = {text}\n", "<reference>")
        expression = attributes_of_body(document.syntax)["_"]
        context = dataclasses.replace(self.context, hcl=document.syntax, document=document)
        inner = Values(context, self.following, self.budget)
        value = inner.read(expression, (), None, depth + 1)
        return _UNKNOWN if inner.placeholders else value

    def _traversed(self, value: object, steps: list):
        """`value` followed through `.Name` and `[index]` steps: (the value,), or None."""
        hcl = self.context.hcl
        for part in steps:
            if part.type == "get_attr":
                name = child(part, "identifier")
                step: object = hcl.source(name) if name is not None else None
            elif part.type == "index":
                inner = child(part, "new_index") or child(part, "legacy_index") or part
                expression = child(inner, "expression")
                step = self._known(expression, 0) if expression is not None else _UNKNOWN
            else:
                return None
            if isinstance(value, dict) and isinstance(step, str) and step in value:
                value = value[step]
            elif isinstance(value, list) and isinstance(step, int) and not isinstance(step, bool) \
                    and 0 <= step < len(value):
                value = value[step]
            else:
                return None
        return (value,)

    def _known(self, node, depth: int) -> object:
        """The value of an expression when everything in it is known, else _UNKNOWN."""
        inner = Values(self.context, self.following, self.budget)
        inner.scope = self.scope
        value = inner.read(node, (), None, depth + 1)
        return _UNKNOWN if inner.placeholders else value

    def _bound(self, node):
        """A name a `for` binds (`item`, `item.Name`, `item["Name"]`): (its value,), or None."""
        hcl = self.context.hcl
        parts = node.named_children if node.type == "expression" else [node]
        if not parts or parts[0].type != "variable_expr" or hcl.source(parts[0]).strip() not in self.scope:
            return None
        return self._traversed(self.scope[hcl.source(parts[0]).strip()], parts[1:])

    def _operation(self, node, depth: int) -> object:
        """A unary or binary operation of known operands (`i + 1 < length(local.steps)`)."""
        operation = node.named_children[0] if node.named_children else None
        if operation is None:
            return _UNKNOWN
        operands = [part for part in operation.children if part.is_named]
        operators = [part.type for part in operation.children if not part.is_named]
        values = [self._known(operand, depth) for operand in operands]
        if any(value is _UNKNOWN for value in values) or len(operators) != 1:
            return _UNKNOWN
        try:
            return OPERATORS[(operators[0], len(values))](*values)
        except (KeyError, TypeError, ZeroDivisionError):
            return _UNKNOWN

    def _call(self, node, depth: int) -> object:
        hcl = self.context.hcl
        name = child(node, "identifier")
        name = hcl.source(name) if name is not None else ""
        if name not in KNOWN_FUNCTIONS:
            return _UNKNOWN
        listed = child(node, "function_arguments")
        arguments = [self._known(argument, depth) for argument in children(listed, "expression")] \
            if listed is not None else []
        if any(argument is _UNKNOWN for argument in arguments):
            return _UNKNOWN
        try:
            return KNOWN_FUNCTIONS[name](*arguments)
        except (TypeError, ValueError, KeyError, IndexError):
            return _UNKNOWN

    def _for(self, form, depth: int) -> object:
        hcl = self.context.hcl
        intro = child(form, "for_intro")
        if intro is None:
            return _UNKNOWN
        names = [hcl.source(identifier) for identifier in children(intro, "identifier")]
        collection = self._known(child(intro, "expression"), depth)
        bodies = children(form, "expression")
        condition = child(form, "for_cond")
        if collection is _UNKNOWN or not isinstance(collection, (list, dict)) or not bodies or len(names) > 2:
            return _UNKNOWN
        pairs = list(collection.items()) if isinstance(collection, dict) else list(enumerate(collection))
        tuple_form = form.type == "for_tuple_expr"
        result: list | dict = [] if tuple_form else {}
        saved = self.scope
        try:
            for index, item in pairs:
                self.scope = {**saved, **(dict(zip(names, (index, item))) if len(names) == 2 else {names[0]: item})}
                if condition is not None:
                    keep = self._known(child(condition, "expression"), depth)
                    if keep is _UNKNOWN or not isinstance(keep, bool):
                        return _UNKNOWN
                    if not keep:
                        continue
                values = [self._known(body, depth) for body in bodies[:2]]
                if any(value is _UNKNOWN for value in values):
                    return _UNKNOWN
                if tuple_form:
                    result.append(values[0])
                elif len(values) == 2 and isinstance(values[0], str):
                    result[values[0]] = values[1]
                else:
                    return _UNKNOWN
        finally:
            self.scope = saved
        return result


def template_text(context: Context, node) -> TextPiece:
    """The text a quoted string or heredoc makes, mapped back to the .tf file run by run:
    the literal text as written (escapes decoded), `${...}` as a placeholder, directives by
    their first branch. Taken from the file between the syntax nodes, since tree-sitter
    leaves the white space around an interpolation out of every node."""
    hcl = context.hcl
    quoted = node.type == "quoted_template"
    parts = children(node)
    built = TextBuilder()
    if quoted:
        start = hcl.end(parts[0]) if parts and parts[0].type == "quoted_template_start" else hcl.start(node) + 1
        end = hcl.start(parts[-1]) if parts and parts[-1].type == "quoted_template_end" else hcl.end(node) - 1
    else:
        markers = [part for part in parts if part.type == "heredoc_identifier"]
        opened = hcl.end(markers[0]) if markers else hcl.start(node)
        start = hcl.text.find("\n", opened) + 1 or hcl.end(node)
        closing = hcl.start(markers[-1]) if len(markers) > 1 else hcl.end(node)
        end = max(start, hcl.text.rfind("\n", start, closing) + 1)  # the body ends with the line before the marker

    inner_parts = [part for part in parts if start <= hcl.start(part) and hcl.end(part) <= end]
    has_directives = _template_region(hcl, built, quoted, start, end, inner_parts)
    piece = built.piece(has_directives)
    if not quoted and parts and parts[0].type == "heredoc_start" and hcl.source(parts[0]).startswith("<<-"):
        piece = trimmed(piece)
    return piece


def _template_region(hcl: HclFile, built: TextBuilder, quoted: bool, start: int, end: int, nodes: list,
                     depth: int = 0) -> bool:
    """Characters start..end of a template, whose interpolations and directives are `nodes`,
    added to `built`; whether there was a directive. (Functions of the module, not closures:
    a closure that calls itself is a reference cycle, and it would keep the syntax tree.)"""
    has_directives = False
    if depth > MAX_NESTING:
        raise TooDeep(nodes[0] if nodes else None)
    for part in nodes:
        if part.type not in ("template_interpolation", "template_directive"):
            continue
        built.literal(hcl.text[start:hcl.start(part)], start, quoted)
        if part.type == "template_interpolation":
            inner = child(part, "expression")
            built.add(_placeholder_text(hcl, inner) if inner is not None else "${}", hcl.start(part), False)
        else:
            has_directives = True
            first = _first_branch(hcl, part)
            if first is not None:
                _template_region(hcl, built, quoted, *first, depth + 1)
        start = hcl.end(part)
    built.literal(hcl.text[start:end], start, quoted)
    return has_directives


def _first_branch(hcl: HclFile, directive) -> tuple | None:
    """(start, end, nodes) of what an `%{ if }` or `%{ for }` gives when read once."""
    construct = child(directive, "template_if", "template_for")
    inside = children(construct) if construct is not None else []
    if len(inside) < 2:
        return None
    stop = next((part for part in inside[1:] if part.type in ("template_else_intro", "template_if_end",
                                                               "template_for_end")), None)
    end = hcl.start(stop) if stop is not None else hcl.end(construct)
    return hcl.end(inside[0]), end, [part for part in inside[1:] if hcl.end(part) <= end]
