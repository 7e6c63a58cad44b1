"""State machines in Terraform: `aws_sfn_state_machine` resources and the community module
`terraform-aws-modules/step-functions/aws`, in `.tf` (HCL) and `.tf.json` files.

A `definition` may be:

- `jsonencode({...})`, an HCL object: read value by value, each at the line and column of
  the HCL attribute that holds it; any HCL expression inside (a reference, a function
  call, a conditional, a `for`) is a value known only at plan time: a placeholder;
- a heredoc or a quoted string holding JSON, with `${...}` interpolations as placeholders
  and `%{ }` directives read as their first branch, mapped back exactly;
- `templatefile(path, {vars})` or `file(path)`: the file is read relative to the module
  (`path.module`, `path.root`), checked at its own lines with the variables as its
  substitutions (ASL009, ASL010), Terraform's template syntax understood;
- `local.name` or `var.name` with a `locals` block or a variable `default` in the module;
- anything else cannot be checked here, and says so (ASL008).

A `module` whose source is a directory of the project holding an `aws_sfn_state_machine`
with `definition = var.x` is a machine too: the `x` its caller passes.

Each machine is named by its Terraform address (`aws_sfn_state_machine.order`,
`module.flow`); `type = "EXPRESS"` gives its workflow type.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import sys
from dataclasses import dataclass, field

from ..context import Definition
from ..model import value_at
from ..limits import MAX_VALUE_DEPTH
from ..source import Document, DuplicateKey, LoadError, Location, SourceMap, load_document, load_template_document
from ..source.sourcemap import OnDemandLocations
from ..source.hcl import (WRAPPERS, HclFile, TextBuilder, TextPiece, check_depth, child, children,
                          decode_literal, literal_text, load_hcl_document, parse_hcl, trimmed, unwrap)
from ..edits import removal_fix
from .base import Extraction, Host, Note, too_large_for
from .embedded import EmbeddedSourceMap, Piece
from .placeholders import placeholder_paths

MARKS = ("aws_sfn_state_machine", "step-functions")  # without them (or a local module) a .tf holds no machine
_MODULE_SOURCE = re.compile(r"(^|/)step-functions/aws(//.*)?$|terraform-aws-step-functions")
_MAX_HOPS = 64  # local.a = local.b = ... followed this far (a cycle stops at once)
_MAX_RENDERS = 4  # distinct renders of one template checked each on their own
_MAX_FOLLOWED_VALUES = 500_000
_UNKNOWN = object()  # a value known only when Terraform plans


def _format(pattern: str, *values: object) -> str:
    """Terraform's format() for the verbs a definition uses: %s, %d, %v, %%."""
    found = iter(values)

    def verb(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%"
        value = next(found)
        if match.group(0) == "%d" and not isinstance(value, int):
            raise ValueError("not a number")
        return _terraform_text(value)

    text = re.sub(r"%[sdv%]", verb, pattern)
    if re.search(r"%[^sdv%]", pattern.replace("%%", "")):
        raise ValueError("a verb asl-lint does not evaluate")
    return text


def _terraform_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        raise ValueError("not a primitive")
    return str(value)


def _lookup(mapping: object, key: object, *default: object) -> object:
    if not isinstance(mapping, dict) or not isinstance(key, str):
        raise TypeError("lookup() of a non-map")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


def _merge(*maps: object) -> dict:
    if not all(isinstance(item, dict) for item in maps):
        raise TypeError("merge() of a non-map")
    merged: dict = {}
    for item in maps:
        merged.update(item)
    return merged


def _concat(*lists: object) -> list:
    if not all(isinstance(item, list) for item in lists):
        raise TypeError("concat() of a non-list")
    return [value for item in lists for value in item]


def _join(separator: object, items: object) -> str:
    if not isinstance(separator, str) or not isinstance(items, list):
        raise TypeError("join() of a non-list")
    return separator.join(_terraform_text(item) for item in items)


# The functions of Terraform's language that shape definitions, evaluated on known values.
_KNOWN_FUNCTIONS = {
    "merge": _merge, "concat": _concat, "lookup": _lookup, "join": _join, "format": _format,
    "lower": lambda text: text.lower() if isinstance(text, str) else _raise(),
    "upper": lambda text: text.upper() if isinstance(text, str) else _raise(),
    "trimspace": lambda text: text.strip() if isinstance(text, str) else _raise(),
    "chomp": lambda text: text.rstrip("\r\n") if isinstance(text, str) else _raise(),
    "tostring": _terraform_text,
    "length": lambda value: len(value) if isinstance(value, (str, list, dict)) else _raise(),
    "jsonencode": lambda value: __import__("json").dumps(value, separators=(",", ":")),
}


def _raise() -> object:
    raise TypeError("not a string")


def _number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("not a number")
    return value


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a bool")
    return value


_OPERATORS = {
    ("!", 1): lambda a: not _boolean(a), ("-", 1): lambda a: -_number(a),
    ("+", 2): lambda a, b: _number(a) + _number(b), ("-", 2): lambda a, b: _number(a) - _number(b),
    ("*", 2): lambda a, b: _number(a) * _number(b), ("/", 2): lambda a, b: _number(a) / _number(b),
    ("%", 2): lambda a, b: _number(a) % _number(b),
    ("<", 2): lambda a, b: _number(a) < _number(b), (">", 2): lambda a, b: _number(a) > _number(b),
    ("<=", 2): lambda a, b: _number(a) <= _number(b), (">=", 2): lambda a, b: _number(a) >= _number(b),
    ("==", 2): lambda a, b: a == b, ("!=", 2): lambda a, b: a != b,
    ("&&", 2): lambda a, b: _boolean(a) and _boolean(b), ("||", 2): lambda a, b: _boolean(a) or _boolean(b),
}  # values one definition may be built of through locals and variables
_MAX_NESTING = 50  # trimspace(trimspace(...)), abspath(abspath(...)), %{ if } inside %{ if }: read this deep


class _TooDeep(Exception):
    """An expression nested past _MAX_NESTING: not read (ASL006), never a RecursionError."""

    def __init__(self, node) -> None:
        super().__init__()
        self.node = node


_LOCAL_MODULE = re.compile(r'\bsource\s*=\s*"\.\.?/')


def mentions_state_machine(text: str) -> bool:
    """Whether a .tf file may hold a machine: without this, it is not parsed at all."""
    return any(mark in text for mark in MARKS) or ("definition" in text and _LOCAL_MODULE.search(text) is not None)


def looks_like_terraform_json(data: object) -> bool:
    if not isinstance(data, dict):
        return False
    resources = data.get("resource")
    if isinstance(resources, dict) and "aws_sfn_state_machine" in resources:
        return True
    modules = data.get("module")
    return isinstance(modules, dict) and any(isinstance(block, dict) and isinstance(block.get("source"), str)
                                             and _MODULE_SOURCE.search(block["source"])
                                             for block in modules.values())


# ---- the machines of a file


@dataclass
class _Machine:
    address: str  # aws_sfn_state_machine.order, module.flow
    attributes: dict  # name -> expression node
    block: object
    definition: str = "definition"  # the attribute that holds the definition
    workflow_type: str = "type"  # the attribute that holds the workflow type
    outside: str | None = None  # a module source out of the trees being linted: not read
    wrapper: _Wrapper | None = None  # a module of the project whose resource builds the definition


def _label(hcl: HclFile, node) -> str:
    return hcl.source(node).strip('"') if node.type == "string_lit" else hcl.source(node)


def _blocks(hcl: HclFile):
    body = child(hcl.root, "body")
    return [] if body is None else children(body, "block")


def _attributes(hcl: HclFile, block) -> dict:
    body = child(block, "body")
    found = {}
    for attribute in children(body, "attribute") if body is not None else ():
        name = child(attribute, "identifier")
        value = child(attribute, "expression")
        if name is not None and value is not None:
            found[hcl.source(name)] = value
    return found


_NOT_INSTALLED = "<not installed>"  # a registry or git module `terraform init` has not installed


_STATE_MACHINE_WORDS = re.compile(r"step.?function|\bsfn\b|sfn[-_]|state.?machine|workflow", re.IGNORECASE)


def _passes_a_state_machine(hcl: HclFile, name: str, source: str, attributes: dict) -> bool:
    """Whether a module call that cannot be followed looks like it builds a state machine:
    its name or source says so, or a definition argument holds StartAt."""
    definition = [node for key, node in attributes.items() if "definition" in key]
    return bool(definition) and (bool(_STATE_MACHINE_WORDS.search(f"{name} {source}"))
                                 or any("StartAt" in hcl.source(node) for node in definition))


@dataclass
class _Wrapper:
    """A module of the project (or one `terraform init` installed) whose aws_sfn_state_machine
    builds its definition from the module's variables in any way (`templatefile(
    var.definition_file, var.definition_vars)`): each call is a machine, evaluated in the
    module with the call's arguments as the variables."""

    directory: str
    file: str
    document: Document
    definition: object  # the resource's definition expression, in `file`
    workflow_type: object | None


def _machines(hcl: HclFile, wrapper=lambda source, name: None) -> list[_Machine]:
    """The machines of a file. `wrapper(source)`: for a module of this project, the
    (definition, type) variables its aws_sfn_state_machine takes, None, or the directory
    when it is outside the trees being linted."""
    found = []
    for block in _blocks(hcl):
        kind = child(block, "identifier")
        labels = [_label(hcl, node) for node in children(block, "string_lit", "identifier")[1:]]
        kind_name = hcl.source(kind) if kind is not None else ""
        if kind_name == "resource" and len(labels) == 2 and labels[0] == "aws_sfn_state_machine":
            found.append(_Machine(f"aws_sfn_state_machine.{labels[1]}", _attributes(hcl, block), block))
        elif kind_name == "module" and len(labels) == 1:
            attributes = _attributes(hcl, block)
            source = _literal_string(hcl, attributes.get("source"))
            if source is not None and _MODULE_SOURCE.search(source):
                found.append(_Machine(f"module.{labels[0]}", attributes, block))
            elif source is not None:
                variables = wrapper(source, labels[0])
                if variables is _NOT_INSTALLED and not _passes_a_state_machine(hcl, labels[0], source, attributes):
                    continue  # a module of something else (a VPC, an API) that is not installed: not ours
                if isinstance(variables, str) and any("definition" in name for name in attributes):
                    found.append(_Machine(f"module.{labels[0]}", attributes, block, outside=variables))
                elif isinstance(variables, tuple) and variables[0] in attributes:
                    found.append(_Machine(f"module.{labels[0]}", attributes, block, *variables))
                elif isinstance(variables, _Wrapper):
                    found.append(_Machine(f"module.{labels[0]}", attributes, block, wrapper=variables))
    return found


_PASSED_VARIABLE = re.compile(r"(?:(?:upper|lower|trimspace|chomp)\(\s*)?var\.([\w-]+)\s*\)?")


def _wrapped_variables(host: Host, directory: str) -> tuple[str, str] | _Wrapper | str | None:
    """A module of the project that wraps aws_sfn_state_machine: for `definition =
    var.definition`, the variables its caller passes the definition and the type in; for
    any other expression of the module's variables, the module to evaluate it in; the
    directory itself when it is outside the trees being linted."""
    if not host.references.trees().allows(directory or "."):
        return directory
    try:
        names = sorted(name for name in host.references.listdir(directory) if name.endswith(".tf"))
    except OSError:
        return None
    for name in names:
        path = posixpath.join(directory, name) if directory else name
        try:
            if not mentions_state_machine(host.references.read(path)):
                continue
            document = host.references.parsed(path, load_hcl_document)
        except Exception:  # noqa: BLE001 - outside the tree, unreadable or broken: not followed
            continue
        hcl = document.syntax
        for machine in _machines(hcl):
            if not machine.address.startswith("aws_sfn_state_machine."):
                continue
            expression = machine.attributes.get("definition")
            passed = _PASSED_VARIABLE.fullmatch(hcl.source(expression or hcl.root).strip())
            if passed is None:
                if expression is not None and re.search(r"\bvar\.", hcl.source(expression)):
                    return _Wrapper(directory, path, document, expression, machine.attributes.get("type"))
                continue
            kind = machine.attributes.get("type")
            kind = _PASSED_VARIABLE.fullmatch(hcl.source(kind).strip()) if kind is not None else None
            return passed.group(1), kind.group(1) if kind is not None else "type"
    return None


def _literal_string(hcl: HclFile, node) -> str | None:
    node = unwrap(node) if node is not None else None
    if node is None or node.type != "string_lit":
        return None
    literal = child(node, "template_literal")
    return literal_text(hcl.source(literal), True) if literal is not None else ""


# ---- reading values


@dataclass
class _Context:
    """One .tf file being read: where its values are, and what it needs to say so."""

    host: Host
    path: str  # the file, as shown
    hcl: HclFile
    document: Document
    machine: str
    notes: list[Note]
    module: _Module
    hops: int = 0

    def span(self, node):
        return self.document.sourcemap.index.span(self.hcl.start(node), self.hcl.end(node))

    def note(self, rule: str, message: str, node, fix=None) -> None:
        self.notes.append(Note(rule, message, self.path, self.span(node), self.machine, fix))


@dataclass
class _Module:
    """The .tf files of one directory, read only when a local or a variable is needed, and
    indexed once: a thousand lookups cost one walk of the blocks, not a thousand."""

    host: Host
    directory: str
    _files: list | None = None
    _index: dict | None = None
    _given: dict | None = None  # variable name -> (file, document, node) from tfvars and --var
    # A child module evaluated for one call: its variables are the call's arguments (name ->
    # (file, document, node)); tfvars files and --var apply to the root module only.
    bindings: dict | None = None
    # Definitions read through a local or a variable, by reference: a local that 200
    # resources use is read once (and, marked shared, checked once).
    followed: dict = field(default_factory=dict)

    def files(self) -> list[tuple[str, Document]]:
        if self._files is None:
            self._files = [(self.host.file, self.host.document)]
            try:
                names = sorted(self.host.references.listdir(self.directory))
            except OSError:
                names = []
            for name in names:
                path = posixpath.join(self.directory, name) if self.directory else name
                if not name.endswith(".tf") or os.path.abspath(path) == os.path.abspath(self.host.file):
                    continue
                try:
                    if not _MAY_DEFINE.search(self.host.references.read(path)):
                        continue  # nothing a lookup could find: not parsed
                    document = self.host.references.parsed(path, load_hcl_document)
                except Exception:  # noqa: BLE001 - an unreadable sibling provides nothing
                    continue
                self._files.append((path, document))
        return self._files

    def _indexed(self) -> dict:
        if self._index is None:
            self._index = {}
            for path, document in self.files():
                hcl = document.syntax
                for block in _blocks(hcl):
                    block_kind = child(block, "identifier")
                    kind = hcl.source(block_kind) if block_kind is not None else ""
                    if kind == "locals":
                        for name, value in _attributes(hcl, block).items():
                            self._index.setdefault(("local", name), (path, document, value))
                        continue
                    if kind not in ("variable", "data"):
                        continue
                    labels = [_label(hcl, label) for label in children(block, "string_lit", "identifier")[1:]]
                    if kind == "variable" and len(labels) == 1:
                        default = _attributes(hcl, block).get("default")
                        if default is not None:
                            self._index.setdefault(("var", labels[0]), (path, document, default))
                    elif kind == "data" and len(labels) == 2 and labels[0] == "template_file":
                        self._index.setdefault(("template_file", labels[1]), (path, document, block))
        return self._index

    def find(self, kind: str, name: str):
        """(file, document, node) of `local.name`, the default of `var.name`, or the block
        of `data.template_file.name`; None when the module has none."""
        return self._indexed().get((kind, name))

    def value_of(self, kind: str, name: str):
        """(file, document, node) of what `local.name` or `var.name` is, as Terraform would
        take it: for a variable, its value from a tfvars file (terraform.tfvars, then
        *.auto.tfvars in lexical order, then --var-file and --var, each over the one
        before) or else its default; None when it is known only when Terraform plans."""
        if kind == "var":
            given = self.bindings.get(name) if self.bindings is not None else self._tfvars().get(name)
            if given is not None:
                return given
        return self.find(kind, name)

    def _tfvars(self) -> dict:
        if self._given is None:
            self._given = {}
            try:
                names = sorted(self.host.references.listdir(self.directory))
            except OSError:
                names = []
            files = ["terraform.tfvars"] if "terraform.tfvars" in names else []
            files += [name for name in names if name.endswith(".auto.tfvars")]
            files = [posixpath.join(self.directory, name) if self.directory else name for name in files]
            files += list(self.host.references.terraform_var_files)
            for path in files:
                try:
                    document = self.host.references.parsed(path, load_hcl_document)
                except Exception:  # noqa: BLE001 - an unreadable tfvars file gives nothing
                    continue
                for name, value in _attributes_of_body(document.syntax).items():
                    self._given[name] = (path, document, value)
            for name, value in self.host.references.terraform_vars.items():
                # As terraform plan takes -var for a string variable (a definition is one): the text as it is.
                shown = f"<--var {name}>"
                document = load_hcl_document(f"{name} = {_hcl_string(value)}\n", shown)
                found = _attributes_of_body(document.syntax).get(name)
                if found is not None:
                    self._given[name] = (shown, document, found)
        return self._given


_MAY_DEFINE = re.compile(r"\blocals\b|\bvariable\b|template_file")
_REFERENCE = re.compile(r"(local|var)\.([A-Za-z_][\w-]*)")


def _attributes_of_body(hcl: HclFile) -> dict:
    """name -> value node of each top-level attribute of a file (a tfvars file)."""
    body = child(hcl.root, "body")
    found = {}
    for attribute in children(body, "attribute") if body is not None else ():
        name, value = child(attribute, "identifier"), child(attribute, "expression")
        if name is not None and value is not None:
            found[hcl.source(name)] = value
    return found


def _hcl_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${").replace("%{", "%%{") + '"'


def _placeholder_text(hcl: HclFile, node) -> str:
    """What stands for a value known only at plan time: '${...}' around the expression,
    with nothing that could end the token."""
    return "${" + re.sub(r"[{}\"\s]+", "", hcl.source(node))[:80] + "}"


def _shown(hcl: HclFile, node) -> str:
    """An expression as a message quotes it: on one line, at most 60 characters."""
    text = re.sub(r"\s+", " ", hcl.source(node)).strip()
    return text if len(text) <= 60 else text[:57] + "..."


def _object_key(hcl: HclFile, node) -> str:
    inner = node.named_children  # most keys are an identifier: (expression (variable_expr))
    node = inner[0] if len(inner) == 1 and inner[0].type == "variable_expr" else unwrap(node)
    if node.type == "variable_expr":
        return node.text.decode("utf-8", "surrogatepass")  # an identifier: as it is written
    if node.type == "string_lit":
        return _literal_string(hcl, node) or ""
    return _placeholder_text(hcl, node)


class _NodeLocations(OnDemandLocations):
    """Locations made from the syntax nodes of each value the first time they are asked for."""

    def __init__(self, hcl: HclFile) -> None:
        super().__init__()
        self.hcl = hcl
        self.nodes: dict[tuple, tuple] = {}  # path -> (value node, key node or None)

    def _find(self, path: tuple) -> Location | None:
        if path not in self.nodes:
            return None
        node, key = self.nodes[path]
        hcl = self.hcl
        return Location(hcl.start(node), hcl.end(node), *((hcl.start(key), hcl.end(key)) if key else ()))

    def _every(self) -> dict:
        return {path: self._find(path) for path in self.nodes}


class _Values:
    """An HCL value as plain data, each member's place recorded in a source map."""

    def __init__(self, context: _Context, following: set | None = None, budget: list | None = None) -> None:
        self.context = context
        self.sourcemap = SourceMap(context.document.sourcemap.index)
        self.located = _NodeLocations(context.hcl)
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
        match = _REFERENCE.fullmatch(hcl.source(node).strip())
        if match is None:
            parts = node.named_children if node.type == "expression" else []
            if len(parts) > 2 and parts[0].type == "variable_expr" and parts[1].type == "get_attr" and \
                    _REFERENCE.fullmatch(hcl.source(parts[0]) + hcl.source(parts[1])):
                # local.x.Name, var.x["key"][0]: the reference's value, then the steps into it
                base = self._known_reference(parts[0], parts[1], depth)
                return None if base is _UNKNOWN else self._traversed(base, parts[2:])
            return None
        reference = (match.group(1), match.group(2))
        if reference in self.following or len(self.following) >= _MAX_HOPS:
            self.context.note("ASL015", f"{reference[0]}.{reference[1]} refers to itself, or through more than"
                                        f" {_MAX_HOPS} locals and variables: not followed", node)
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
            inner = _Values(context, self.following, self.budget)
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
                name = sys.intern(_object_key(hcl, parts[0]))
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
            piece = _template_text(self.context, node)
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
        expression = _attributes_of_body(document.syntax)["_"]
        context = dataclasses.replace(self.context, hcl=document.syntax, document=document)
        inner = _Values(context, self.following, self.budget)
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
        inner = _Values(self.context, self.following, self.budget)
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
            return _OPERATORS[(operators[0], len(values))](*values)
        except (KeyError, TypeError, ZeroDivisionError):
            return _UNKNOWN

    def _call(self, node, depth: int) -> object:
        hcl = self.context.hcl
        name = child(node, "identifier")
        name = hcl.source(name) if name is not None else ""
        if name not in _KNOWN_FUNCTIONS:
            return _UNKNOWN
        listed = child(node, "function_arguments")
        arguments = [self._known(argument, depth) for argument in children(listed, "expression")] \
            if listed is not None else []
        if any(argument is _UNKNOWN for argument in arguments):
            return _UNKNOWN
        try:
            return _KNOWN_FUNCTIONS[name](*arguments)
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


def _template_text(context: _Context, node) -> TextPiece:
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
    if depth > _MAX_NESTING:
        raise _TooDeep(nodes[0] if nodes else None)
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


# ---- definitions


def _definition_of(context: _Context, node, at) -> Definition | None:
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
            return _definition_of(context, _inside_calls(hcl, arguments[0], ("trimspace", "chomp")), at)
        return _not_checkable(context, f"it is built by {name}(), which asl-lint does not evaluate", at)
    if kind in ("quoted_template", "heredoc_template", "string_lit"):
        return _text_definition(context, value, at)
    if kind == "variable_expr" or (node.type == "expression" and child(node, "variable_expr") is not None):
        parts = hcl.source(node).split(".")
        if len(parts) == 2 and parts[0] in ("local", "var") and re.fullmatch(r"[\w-]+", parts[1]):
            return _followed(context, parts[0], parts[1], at)
        if len(parts) == 4 and parts[:2] == ["data", "template_file"] and parts[3] == "rendered":
            return _template_data_source(context, parts[2], at)
    return _not_checkable(context, f"it is {_shown(hcl, value)}, known only when Terraform plans", at)


def _inside_calls(hcl: HclFile, node, names: tuple[str, ...]):
    """What calls of these one-argument functions wrap (`trimspace(chomp(x))` -> x), read
    without recursion; raises _TooDeep past _MAX_NESTING."""
    for _ in range(_MAX_NESTING):
        value = unwrap(node)
        arguments = child(value, "function_arguments") if value.type == "function_call" else None
        inner = children(arguments, "expression") if arguments is not None else []
        if arguments is None or hcl.source(child(value, "identifier")) not in names or len(inner) != 1:
            return node
        node = inner[0]
    raise _TooDeep(node)


def _not_checkable(context: _Context, why: str, at) -> None:
    context.note("ASL008", f"state machine '{context.machine}' cannot be checked here: {why}", at)
    return None


def _followed(context: _Context, kind: str, name: str, at) -> Definition | None:
    if context.hops >= _MAX_HOPS:
        context.note("ASL015", f"{kind}.{name} refers to itself, or through more than {_MAX_HOPS} locals and"
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
    inner = _Context(context.host, path, document.syntax, document, context.machine, context.notes, context.module,
                     context.hops + 1)
    definition = _definition_of(inner, expression, expression)
    if definition is not None:
        definition.shared = True  # every machine that uses it gets the findings of one check
        context.module.followed[key] = definition
        definition = dataclasses.replace(definition)
    return definition


def _empty_string(hcl: HclFile, node) -> bool:
    """Whether a value is "" (or white space): a module's way of saying "no definition given"."""
    text = _literal_string(hcl, node)
    return text is not None and not text.strip()


def _object_definition(context: _Context, node) -> Definition | None:
    values = _Values(context)
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
        return _not_checkable(context, f"{what} built by an expression asl-lint does not evaluate"
                                       f" ({_shown(context.hcl, values.located.nodes.get(unknown[0], (node,))[0])}),"
                                       " known only when Terraform plans", node)
    # No ASL504 check: every value comes from the text itself (a reference, a loop or a
    # directive is one placeholder, not its expansion), so nothing here multiplies text;
    # values that locals, functions and for expressions build are bounded by the budget.
    return Definition(data, context.path, values.sourcemap, placeholders=values.placeholders,
                      duplicates=values.duplicates, substituted=values.substituted)


def _text_definition(context: _Context, node, at) -> Definition | None:
    """A heredoc or a string of JSON, mapped character by character into the .tf file."""
    if node.type == "string_lit":
        literal = child(node, "template_literal")
        built = TextBuilder()
        if literal is not None:
            built.literal(context.hcl.source(literal), context.hcl.start(literal), True)
        piece = built.piece()
    else:
        piece = _template_text(context, node)
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


def _path_of(context: _Context, node, depth: int = 0) -> str | None:
    """A template's path, when it is a literal, `${path.module}/...`, `abspath(...)` or
    `format("%s/...", path.module)`: relative to the module, as Terraform reads it."""
    hcl = context.hcl
    if depth > _MAX_NESTING:
        raise _TooDeep(node)
    node = unwrap(node)
    module = posixpath.dirname(context.path.replace("\\", "/"))
    known = {"path.module": module or ".", "path.root": module or ".", "path.cwd": "."}
    if node.type == "string_lit":
        return _literal_string(hcl, node)
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


def _literal_text(context: _Context, node) -> str | None:
    """The text a known literal renders as in a template: a string as it is, a number as
    written, true or false; a local or variable that is one of those; else None."""
    value = unwrap(node)
    if value.type in ("numeric_lit", "bool_lit"):
        return context.hcl.source(value)
    try:
        return _path_of(context, node) if value.type in ("string_lit", "expression", "variable_expr") else None
    except _TooDeep:
        return None


def _known_string(context: _Context, node, depth: int) -> str | None:
    """The text a `local.x` or `var.x` (default, tfvars, --var) stands for, when the module
    knows it: a string, or a path built of known parts; None otherwise."""
    match = _REFERENCE.fullmatch(context.hcl.source(node).strip())
    found = context.module.value_of(match.group(1), match.group(2)) if match else None
    if found is None:
        return None
    file, document, value = found
    inner = dataclasses.replace(context, path=file if not file.startswith("<") else context.path,
                                hcl=document.syntax, document=document)
    return _path_of(inner, value, depth + 1)


def _template_data_source(context: _Context, name: str, at) -> Definition | None:
    """`data.template_file.NAME.rendered`: the template_file data source, read as
    templatefile() reads its file (its `template = file(...)` and its `vars`)."""
    if context.hops >= _MAX_HOPS:
        context.note("ASL015", f"data.template_file.{name} renders itself, or through more than {_MAX_HOPS} locals,"
                               " variables and template_file sources: not followed", at)
        return None
    found = context.module.find("template_file", name)
    if found is not None:
        path, document, block = found
        hcl = document.syntax
        attributes = _attributes(hcl, block)
        inner = _Context(context.host, path, hcl, document, context.machine, context.notes, context.module,
                         context.hops + 1)
        template = unwrap(attributes["template"]) if "template" in attributes else None
        if template is not None and template.type == "function_call" and \
                hcl.source(child(template, "identifier")) == "file" and child(template, "function_arguments"):
            source = children(child(template, "function_arguments"), "expression")[0]
            return _file_definition(inner, "templatefile", source, attributes.get("vars"),
                                    renderer=f"data.template_file.{name}")
        if template is not None:
            return _definition_of(inner, template, template)
    return _not_checkable(context, f"it is data.template_file.{name}.rendered, and no template_file data"
                                   f" source of the module is named {name}", at)


def _file_definition(context: _Context, function: str, path_node, variables_node,
                     renderer: str = "templatefile()") -> Definition | None:
    hcl = context.hcl
    written = _path_of(context, path_node)
    if written is None:
        return _not_checkable(context, f"the path {function}() reads is computed: {_shown(hcl, path_node)}",
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
    from .base import shape_problem

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


def _template_variables(context: _Context, node, document: Document, path: str, renderer: str,
                        literals: dict | None = None) -> dict:
    """The variables `templatefile()` passes, as substitutions: each key of the map, each
    `${...}` of the template whose names are all keys (an expression of them), and each
    escaped `$${...}`, which Terraform writes as it is. A key the template never uses is
    ASL010, at the key."""
    hcl = context.hcl
    value = unwrap(node) if node is not None else None
    keys: dict[str, object] = {}
    elements: dict[int, object] = {}  # key node id -> its `name = value` element
    match = _REFERENCE.fullmatch(hcl.source(value).strip()) if value is not None else None
    found = context.module.value_of(match.group(1), match.group(2)) if match else None
    if found is not None and unwrap(found[2]).type == "object":  # var.definition_variables with a default
        if found[1].syntax is hcl:
            value = unwrap(found[2])
        else:  # in another file (a module call's argument): its names and values count, its places are not here
            other = dataclasses.replace(context, path=found[0], hcl=found[1].syntax, document=found[1])
            for element in children(unwrap(found[2]), "object_elem"):
                parts = children(element, "expression")
                if len(parts) == 2:
                    name = _object_key(other.hcl, parts[0])
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
                keys[_object_key(hcl, parts[0])] = parts[0]
                elements[parts[0].id] = element
                known = _literal_text(context, parts[1])
                if known is not None and literals is not None:
                    literals[_object_key(hcl, parts[0])] = known
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


def _template_expressions(context: _Context, path: str, document: Document) -> list[tuple]:
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


# ---- extraction


def extract(host: Host) -> Extraction:
    """The state machines of a .tf file."""
    result = Extraction("terraform")
    hcl = host.document.syntax
    directory = posixpath.dirname(host.file.replace("\\", "/")) if host.file != "<stdin>" else ""
    module = _Module(host, directory)
    wrapped: dict[str, object] = {}  # module directory -> what _wrapped_variables found there

    def wrapper(source: str, name: str):
        if source.startswith(("./", "../")):
            target = posixpath.normpath(posixpath.join(directory, source))
        else:  # the registry, git: where `terraform init` installed it, if it did
            target = _installed_module(host, directory, name)
            if target is None:
                return _NOT_INSTALLED
        if target not in wrapped:
            wrapped[target] = _wrapped_variables(host, target)
        return wrapped[target]

    for machine in _machines(hcl, wrapper):
        if machine.outside is _NOT_INSTALLED:
            source = machine.attributes["source"]
            result.notes.append(Note(
                "ASL008", f"state machine '{machine.address}' cannot be checked here: its module"
                f" '{_literal_string(hcl, source)}' is not installed (.terraform/modules/modules.json has no"
                f" {machine.address}; terraform init installs it), so what it builds from the definition passed is"
                " not checked", host.file, host.document.sourcemap.index.span(hcl.start(source), hcl.end(source)),
                machine.address))
            continue
        if machine.outside is not None:
            source = machine.attributes["source"]
            result.notes.append(Note(
                "ASL013", f"module source '{_literal_string(hcl, source)}' is outside the directory tree being linted"
                f" ({machine.outside}): not read, so what {machine.address} passes as a definition is not checked"
                " (--allow-outside-references reads it)", host.file, host.document.sourcemap.index.span(
                    hcl.start(source), hcl.end(source)), machine.address))
            continue
        if machine.wrapper is not None:
            definition = _called(host, machine, result.notes)
            if definition is not None:
                result.definitions.append(definition)
            continue
        expression = machine.attributes.get(machine.definition)
        if expression is None:
            continue
        context = _Context(host, host.file, hcl, host.document, machine.address, result.notes, module)
        try:
            definition = _definition_of(context, expression, expression)
        except _TooDeep:
            context.note("ASL006", f"the definition of {machine.address} is built by expressions nested more than"
                                   f" {_MAX_NESTING} deep: too deep to read, not checked", expression)
            continue
        if definition is None:
            continue
        definition.machine = machine.address
        kind = _literal_string(hcl, machine.attributes.get(machine.workflow_type))
        definition.workflow_type = kind.upper() if kind else None
        result.definitions.append(definition)
    if not result.definitions and not result.notes:
        result.why = ("no state machine found: the file has no aws_sfn_state_machine resource and no"
                      " terraform-aws-modules/step-functions module with a definition")
    return result


def _called(host: Host, machine: _Machine, notes: list[Note]) -> Definition | None:
    """The definition one call of a wrapper module gives: the module's own expression,
    evaluated in the module with the call's arguments as its variables."""
    wrapper = machine.wrapper
    module = _Module(host, wrapper.directory, bindings={
        name: (host.file, host.document, node) for name, node in machine.attributes.items()})
    context = _Context(host, wrapper.file, wrapper.document.syntax, wrapper.document, machine.address, notes, module)
    try:
        definition = _definition_of(context, wrapper.definition, wrapper.definition)
    except _TooDeep:
        context.note("ASL006", f"the definition of {machine.address} is built by expressions nested more than"
                               f" {_MAX_NESTING} deep: too deep to read, not checked", wrapper.definition)
        return None
    if definition is None:
        return None
    definition.machine = machine.address
    kind = None
    if wrapper.workflow_type is not None:
        passed = _PASSED_VARIABLE.fullmatch(wrapper.document.syntax.source(wrapper.workflow_type).strip())
        given = machine.attributes.get(passed.group(1)) if passed else None
        kind = _literal_string(host.document.syntax, given) if given is not None else \
            _literal_string(wrapper.document.syntax, wrapper.workflow_type)
    definition.workflow_type = kind.upper() if kind else None
    return definition


def _installed_module(host: Host, directory: str, name: str) -> str | None:
    """Where `terraform init` installed the module a root module calls `name` (a registry
    or git source): its Dir in .terraform/modules/modules.json, relative to the root."""
    listing = posixpath.join(directory, ".terraform", "modules", "modules.json") if directory else \
        ".terraform/modules/modules.json"
    try:
        import json

        entries = json.loads(host.references.read(listing)).get("Modules", [])
    except Exception:  # noqa: BLE001 - not initialised, or unreadable: nothing installed to follow
        return None
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict) and entry.get("Key") == name and isinstance(entry.get("Dir"), str):
            found = posixpath.normpath(posixpath.join(directory, entry["Dir"]))
            return found if not posixpath.isabs(entry["Dir"]) else None
    return None


def extract_json(host: Host) -> Extraction:
    """The state machines of a .tf.json file (Terraform's JSON syntax, CDK for Terraform's
    output): a definition is a string of JSON with `${...}` interpolations, or one
    `${templatefile(...)}`, `${file(...)}` or `${jsonencode(...)}` expression."""
    from .cloudformation import definition_string

    result = Extraction("terraform")
    data = host.document.data
    candidates = []
    resources = data.get("resource", {}).get("aws_sfn_state_machine", {}) if isinstance(data.get("resource"), dict) \
        else {}
    for name, block in (resources.items() if isinstance(resources, dict) else ()):
        candidates.append((f"aws_sfn_state_machine.{name}", ("resource", "aws_sfn_state_machine", name), block))
    modules = data.get("module", {})
    for name, block in (modules.items() if isinstance(modules, dict) else ()):
        if isinstance(block, dict) and isinstance(block.get("source"), str) and _MODULE_SOURCE.search(block["source"]):
            candidates.append((f"module.{name}", ("module", name), block))
    for address, path, block in candidates:
        blocks = block if isinstance(block, list) else [block]  # a resource may be written as a list of blocks
        for index, item in enumerate(blocks):
            if not isinstance(item, dict) or "definition" not in item:
                continue
            at = path + ((index,) if isinstance(block, list) else ()) + ("definition",)
            value = item["definition"]
            whole = re.fullmatch(r"\$\{(.*)\}", value.strip(), re.S) if isinstance(value, str) else None
            if whole and re.match(r"\s*(templatefile|file|jsonencode|local\.|var\.)", whole.group(1)):
                definition = _json_expression(host, address, whole.group(1), at, result.notes)
            elif isinstance(value, str):
                definition = definition_string(host, address, value, at, result.notes)
                if definition is not None:
                    definition.substitutions = None  # its ${...} are Terraform's, resolved at plan time
            else:
                result.notes.append(Note("ASL008", f"state machine '{address}' cannot be checked here: its definition"
                                         " is not a string", host.file, host.span(at, "key"), address))
                continue
            if definition is None:
                continue
            definition.machine = address
            kind = item.get("type")
            definition.workflow_type = kind.upper() if isinstance(kind, str) and "${" not in kind else None
            result.definitions.append(definition)
    return result


def _json_expression(host: Host, address: str, expression: str, at: tuple, notes: list[Note]) -> Definition | None:
    """An HCL expression written in a .tf.json string: read as HCL on its own; what it
    finds is reported at the string (the expression's own positions are inside JSON)."""
    from ..source import LineIndex

    text = f"definition = {expression}\n"
    try:
        hcl = parse_hcl(text)
    except LoadError as error:
        notes.append(Note("ASL001", f"definition: {error.message}", host.file, host.span(at), address))
        return None
    document = Document(None, _AtOneSpan(LineIndex(text), host, at), "hcl", text=text, syntax=hcl)
    inner = Host(document, host.file, host.references)
    context = _Context(inner, host.file, hcl, document, address, [], _Module(host, posixpath.dirname(host.file)))
    expression_node = child(children(child(hcl.root, "body"), "attribute")[0], "expression")
    definition = _definition_of(context, expression_node, expression_node)
    for note in context.notes:  # positions inside the wrapper text stand for the string
        notes.append(Note(note.rule, note.message, host.file if note.file == host.file else note.file,
                          host.span(at) if note.file == host.file else note.span, address))
    if definition is not None and definition.file == host.file:
        definition.sourcemap = _AtOneSpan(None, host, at)
    return definition


@dataclass
class _AtOneSpan:
    """Every position of a definition written inside one JSON string: that string's."""

    index: object
    host: Host
    at: tuple
    locations: dict = field(default_factory=dict)

    def span(self, path: tuple, anchor: str = "value"):
        return self.host.span(self.at)

    def span_within(self, path: tuple, decoded: str, start: int, end: int):
        return self.host.span(self.at)

    def add(self, path: tuple, location) -> None:
        self.locations[path] = location


__all__ = ["MARKS", "extract", "extract_json", "looks_like_terraform_json", "mentions_state_machine"]
