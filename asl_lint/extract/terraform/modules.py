"""Reading modules: one .tf file being read (its context) and the .tf files of its
directory, indexed once for their locals, variables and tfvars."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field

from ...source import Document
from ...source.hcl import HclFile, child, children, load_hcl_document
from ..base import Host, Note
from .machines import block_attributes, block_label, top_blocks


@dataclass
class Context:
    """One .tf file being read: where its values are, and what it needs to say so."""

    host: Host
    path: str  # the file, as shown
    hcl: HclFile
    document: Document
    machine: str
    notes: list[Note]
    module: Module
    hops: int = 0

    def span(self, node):
        return self.document.sourcemap.index.span(self.hcl.start(node), self.hcl.end(node))

    def note(self, rule: str, message: str, node, fix=None) -> None:
        self.notes.append(Note(rule, message, self.path, self.span(node), self.machine, fix))


@dataclass
class Module:
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
                for block in top_blocks(hcl):
                    block_kind = child(block, "identifier")
                    kind = hcl.source(block_kind) if block_kind is not None else ""
                    if kind == "locals":
                        for name, value in block_attributes(hcl, block).items():
                            self._index.setdefault(("local", name), (path, document, value))
                        continue
                    if kind not in ("variable", "data"):
                        continue
                    labels = [block_label(hcl, label) for label in children(block, "string_lit", "identifier")[1:]]
                    if kind == "variable" and len(labels) == 1:
                        default = block_attributes(hcl, block).get("default")
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
                for name, value in attributes_of_body(document.syntax).items():
                    self._given[name] = (path, document, value)
            for name, value in self.host.references.terraform_vars.items():
                # As terraform plan takes -var for a string variable (a definition is one): the text as it is.
                shown = f"<--var {name}>"
                document = load_hcl_document(f"{name} = {_hcl_string(value)}\n", shown)
                found = attributes_of_body(document.syntax).get(name)
                if found is not None:
                    self._given[name] = (shown, document, found)
        return self._given


_MAY_DEFINE = re.compile(r"\blocals\b|\bvariable\b|template_file")


REFERENCE = re.compile(r"(local|var)\.([A-Za-z_][\w-]*)")


def attributes_of_body(hcl: HclFile) -> dict:
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
