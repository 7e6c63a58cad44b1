"""Finding machines: the `aws_sfn_state_machine` resources and step-functions module calls
of a file, and the local modules that wrap one."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from ...source import Document
from ...source.hcl import HclFile, child, children, literal_text, load_hcl_document, unwrap
from ..base import Host


MARKS = ("aws_sfn_state_machine", "step-functions")  # without them (or a local module) a .tf holds no machine


MODULE_SOURCE = re.compile(r"(^|/)step-functions/aws(//.*)?$|terraform-aws-step-functions")


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
                                             and MODULE_SOURCE.search(block["source"])
                                             for block in modules.values())


@dataclass
class Machine:
    address: str  # aws_sfn_state_machine.order, module.flow
    attributes: dict  # name -> expression node
    block: object
    definition: str = "definition"  # the attribute that holds the definition
    workflow_type: str = "type"  # the attribute that holds the workflow type
    outside: str | None = None  # a module source out of the trees being linted: not read
    wrapper: _Wrapper | None = None  # a module of the project whose resource builds the definition


def block_label(hcl: HclFile, node) -> str:
    return hcl.source(node).strip('"') if node.type == "string_lit" else hcl.source(node)


def top_blocks(hcl: HclFile):
    body = child(hcl.root, "body")
    return [] if body is None else children(body, "block")


def block_attributes(hcl: HclFile, block) -> dict:
    body = child(block, "body")
    found = {}
    for attribute in children(body, "attribute") if body is not None else ():
        name = child(attribute, "identifier")
        value = child(attribute, "expression")
        if name is not None and value is not None:
            found[hcl.source(name)] = value
    return found


NOT_INSTALLED = "<not installed>"  # a registry or git module `terraform init` has not installed


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


def machines_of(hcl: HclFile, wrapper=lambda source, name: None) -> list[Machine]:
    """The machines of a file. `wrapper(source)`: for a module of this project, the
    (definition, type) variables its aws_sfn_state_machine takes, None, or the directory
    when it is outside the trees being linted."""
    found = []
    for block in top_blocks(hcl):
        kind = child(block, "identifier")
        labels = [block_label(hcl, node) for node in children(block, "string_lit", "identifier")[1:]]
        kind_name = hcl.source(kind) if kind is not None else ""
        if kind_name == "resource" and len(labels) == 2 and labels[0] == "aws_sfn_state_machine":
            found.append(Machine(f"aws_sfn_state_machine.{labels[1]}", block_attributes(hcl, block), block))
        elif kind_name == "module" and len(labels) == 1:
            attributes = block_attributes(hcl, block)
            source = literal_string(hcl, attributes.get("source"))
            if source is not None and MODULE_SOURCE.search(source):
                found.append(Machine(f"module.{labels[0]}", attributes, block))
            elif source is not None:
                variables = wrapper(source, labels[0])
                if variables is NOT_INSTALLED and not _passes_a_state_machine(hcl, labels[0], source, attributes):
                    continue  # a module of something else (a VPC, an API) that is not installed: not ours
                if isinstance(variables, str) and any("definition" in name for name in attributes):
                    found.append(Machine(f"module.{labels[0]}", attributes, block, outside=variables))
                elif isinstance(variables, tuple) and variables[0] in attributes:
                    found.append(Machine(f"module.{labels[0]}", attributes, block, *variables))
                elif isinstance(variables, _Wrapper):
                    found.append(Machine(f"module.{labels[0]}", attributes, block, wrapper=variables))
    return found


PASSED_VARIABLE = re.compile(r"(?:(?:upper|lower|trimspace|chomp)\(\s*)?var\.([\w-]+)\s*\)?")


def wrapped_variables(host: Host, directory: str) -> tuple[str, str] | _Wrapper | str | None:
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
        for machine in machines_of(hcl):
            if not machine.address.startswith("aws_sfn_state_machine."):
                continue
            expression = machine.attributes.get("definition")
            passed = PASSED_VARIABLE.fullmatch(hcl.source(expression or hcl.root).strip())
            if passed is None:
                if expression is not None and re.search(r"\bvar\.", hcl.source(expression)):
                    return _Wrapper(directory, path, document, expression, machine.attributes.get("type"))
                continue
            kind = machine.attributes.get("type")
            kind = PASSED_VARIABLE.fullmatch(hcl.source(kind).strip()) if kind is not None else None
            return passed.group(1), kind.group(1) if kind is not None else "type"
    return None


def literal_string(hcl: HclFile, node) -> str | None:
    node = unwrap(node) if node is not None else None
    if node is None or node.type != "string_lit":
        return None
    literal = child(node, "template_literal")
    return literal_text(hcl.source(literal), True) if literal is not None else ""


def installed_module(host: Host, directory: str, name: str) -> str | None:
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
