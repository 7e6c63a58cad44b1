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

import posixpath
import re

from ...context import Definition
from ...source import Document, LoadError
from ...source.hcl import child, children, parse_hcl
from ..base import Extraction, Host, Note
from .functions import MAX_NESTING, TooDeep
from .positions import AtOneSpan
from .machines import (MARKS, MODULE_SOURCE, NOT_INSTALLED, PASSED_VARIABLE, Machine, installed_module, literal_string,
                       looks_like_terraform_json, machines_of, mentions_state_machine, wrapped_variables)
from .modules import Context, Module
from .definitions import definition_of


def extract(host: Host) -> Extraction:
    """The state machines of a .tf file."""
    result = Extraction("terraform")
    hcl = host.document.syntax
    directory = posixpath.dirname(host.file.replace("\\", "/")) if host.file != "<stdin>" else ""
    module = Module(host, directory)
    wrapped: dict[str, object] = {}  # module directory -> what wrapped_variables found there

    def wrapper(source: str, name: str):
        if source.startswith(("./", "../")):
            target = posixpath.normpath(posixpath.join(directory, source))
        else:  # the registry, git: where `terraform init` installed it, if it did
            target = installed_module(host, directory, name)
            if target is None:
                return NOT_INSTALLED
        if target not in wrapped:
            wrapped[target] = wrapped_variables(host, target)
        return wrapped[target]

    for machine in machines_of(hcl, wrapper):
        if machine.outside is NOT_INSTALLED:
            source = machine.attributes["source"]
            result.notes.append(Note(
                "ASL008", f"state machine '{machine.address}' cannot be checked here: its module"
                f" '{literal_string(hcl, source)}' is not installed (.terraform/modules/modules.json has no"
                f" {machine.address}; terraform init installs it), so what it builds from the definition passed is"
                " not checked", host.file, host.document.sourcemap.index.span(hcl.start(source), hcl.end(source)),
                machine.address))
            continue
        if machine.outside is not None:
            source = machine.attributes["source"]
            result.notes.append(Note(
                "ASL013", f"module source '{literal_string(hcl, source)}' is outside the directory tree being linted"
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
        context = Context(host, host.file, hcl, host.document, machine.address, result.notes, module)
        try:
            definition = definition_of(context, expression, expression)
        except TooDeep:
            context.note("ASL006", f"the definition of {machine.address} is built by expressions nested more than"
                                   f" {MAX_NESTING} deep: too deep to read, not checked", expression)
            continue
        if definition is None:
            continue
        definition.machine = machine.address
        kind = literal_string(hcl, machine.attributes.get(machine.workflow_type))
        definition.workflow_type = kind.upper() if kind else None
        result.definitions.append(definition)
    if not result.definitions and not result.notes:
        result.why = ("no state machine found: the file has no aws_sfn_state_machine resource and no"
                      " terraform-aws-modules/step-functions module with a definition")
    return result


def _called(host: Host, machine: Machine, notes: list[Note]) -> Definition | None:
    """The definition one call of a wrapper module gives: the module's own expression,
    evaluated in the module with the call's arguments as its variables."""
    wrapper = machine.wrapper
    module = Module(host, wrapper.directory, bindings={
        name: (host.file, host.document, node) for name, node in machine.attributes.items()})
    context = Context(host, wrapper.file, wrapper.document.syntax, wrapper.document, machine.address, notes, module)
    try:
        definition = definition_of(context, wrapper.definition, wrapper.definition)
    except TooDeep:
        context.note("ASL006", f"the definition of {machine.address} is built by expressions nested more than"
                               f" {MAX_NESTING} deep: too deep to read, not checked", wrapper.definition)
        return None
    if definition is None:
        return None
    definition.machine = machine.address
    kind = None
    if wrapper.workflow_type is not None:
        passed = PASSED_VARIABLE.fullmatch(wrapper.document.syntax.source(wrapper.workflow_type).strip())
        given = machine.attributes.get(passed.group(1)) if passed else None
        kind = literal_string(host.document.syntax, given) if given is not None else \
            literal_string(wrapper.document.syntax, wrapper.workflow_type)
    definition.workflow_type = kind.upper() if kind else None
    return definition


def extract_json(host: Host) -> Extraction:
    """The state machines of a .tf.json file (Terraform's JSON syntax, CDK for Terraform's
    output): a definition is a string of JSON with `${...}` interpolations, or one
    `${templatefile(...)}`, `${file(...)}` or `${jsonencode(...)}` expression."""
    from ..cloudformation import definition_string

    result = Extraction("terraform")
    data = host.document.data
    candidates = []
    resources = data.get("resource", {}).get("aws_sfn_state_machine", {}) if isinstance(data.get("resource"), dict) \
        else {}
    for name, block in (resources.items() if isinstance(resources, dict) else ()):
        candidates.append((f"aws_sfn_state_machine.{name}", ("resource", "aws_sfn_state_machine", name), block))
    modules = data.get("module", {})
    for name, block in (modules.items() if isinstance(modules, dict) else ()):
        if isinstance(block, dict) and isinstance(block.get("source"), str) and MODULE_SOURCE.search(block["source"]):
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
    from ...source import LineIndex

    text = f"definition = {expression}\n"
    try:
        hcl = parse_hcl(text)
    except LoadError as error:
        notes.append(Note("ASL001", f"definition: {error.message}", host.file, host.span(at), address))
        return None
    document = Document(None, AtOneSpan(LineIndex(text), host, at), "hcl", text=text, syntax=hcl)
    inner = Host(document, host.file, host.references)
    context = Context(inner, host.file, hcl, document, address, [], Module(host, posixpath.dirname(host.file)))
    expression_node = child(children(child(hcl.root, "body"), "attribute")[0], "expression")
    definition = definition_of(context, expression_node, expression_node)
    for note in context.notes:  # positions inside the wrapper text stand for the string
        notes.append(Note(note.rule, note.message, host.file if note.file == host.file else note.file,
                          host.span(at) if note.file == host.file else note.span, address))
    if definition is not None and definition.file == host.file:
        definition.sourcemap = AtOneSpan(None, host, at)
    return definition


__all__ = ["MARKS", "extract", "extract_json", "looks_like_terraform_json", "mentions_state_machine"]
