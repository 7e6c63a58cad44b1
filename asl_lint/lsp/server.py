"""`asl-lint-lsp`: the Language Server Protocol over standard input and output.

A thin adapter: it keeps the open documents (pygls applies the edits), asks the checking
process (lsp.worker) for diagnostics, hovers and code actions, and turns the answers
into LSP messages. A document is checked when it opens, changes or is saved: at once
when nothing is being checked for it, else once the running check ends, with the latest
text (the older answer is dropped). A change to one open file checks again the open
files whose diagnostics depend on it (the definition a template reads, the template
that reads a definition).

initializationOptions: {"checkTimeout": seconds} (default 10): a check that takes longer
is stopped and reported as ASL006 on the document.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from dataclasses import dataclass, field

try:
    from lsprotocol import types
    from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol
    from pygls.uris import from_fs_path, to_fs_path
except ImportError:  # the optional extra: main() says how to install it
    types = None
    LanguageServer = LanguageServerProtocol = object

from ..version import __version__
from ..limits import MAX_FILE_BYTES
from .units import units

log = logging.getLogger("asl_lint.lsp")
DEFAULT_TIMEOUT = 10.0
GRAPH_COMMAND = "asl-lint.showGraph"
CONFIG_FILES = (".asl-lint.yaml", ".asl-lint.yml", "pyproject.toml")
WATCHED = ("**/.asl-lint.{yaml,yml}", "**/pyproject.toml", "**/*.{json,yaml,yml,asl,template,tf,tftpl,tpl}")


@dataclass
class _Document:
    task: asyncio.Task | None = None
    pending: bool = False  # a newer text came while a check ran
    includers: bool = True  # look again for the templates that include it
    cascade: bool = False  # check the open documents that depend on it, once it is checked
    depends: set = field(default_factory=set)  # paths whose change changes its diagnostics
    diagnostics: list = field(default_factory=list)  # the last published, as plain data
    # The findings of the last text that parsed, moved with every edit since: shown beside
    # the syntax error while the text does not parse (every few keystrokes, it does not).
    parsed: list = field(default_factory=list)
    parsed_text: str | None = None  # the last text that parsed: what completion reads while this one does not


# The largest message read: an open document is at most MAX_FILE_BYTES, and UTF-8 text in
# JSON (escaped) takes at most six bytes per character.
MAX_MESSAGE_BYTES = 6 * MAX_FILE_BYTES + (1 << 20)
_TOO_LARGE = b'{"jsonrpc": "2.0", "method": "$/asl-lint/messageTooLarge", "params": null}'


class _BoundedInput:
    """Standard input as pygls reads it, with a bound on one message: a Content-Length past
    it is not read (nor allocated); the server answers with an error and reads on."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def readline(self) -> bytes:
        return self.stream.readline(1 << 16)

    def read(self, size: int) -> bytes:
        if size > MAX_MESSAGE_BYTES:
            return _TOO_LARGE
        return self.stream.read(size)


class _Protocol(LanguageServerProtocol):
    """pygls' protocol, remembering the request whose params could not be read so that it
    is answered (InvalidParams) instead of left waiting for ever."""

    unreadable_request = None

    def _check_handler_result(self, future) -> None:
        """pygls 2.1 keeps the future of every notification a generator handles (didOpen,
        didChange, didSave, didClose) in _request_futures for ever, under an id of its own:
        about 2 KiB an edit. Dropped here once it is done."""
        super()._check_handler_result(future)
        for key in [key for key, value in self._request_futures.items() if value is future]:
            del self._request_futures[key]

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams:
            if isinstance(data, dict) and "method" in data and isinstance(data.get("id"), (int, str)):
                self.unreadable_request = data["id"]
            raise


class AslLintServer(LanguageServer):
    def __init__(self) -> None:
        from .worker import Checker

        super().__init__("asl-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=_Protocol)
        self.checker = Checker()
        self.documents: dict[str, _Document] = {}
        self.timeout = DEFAULT_TIMEOUT
        self.told: set[str] = set()  # documents whose reason for getting nothing was logged
        self.config_problems: set[str] = set()  # configuration files with a finding published

    def report_server_error(self, error: Exception, source) -> None:
        """A message that cannot be read gets a JSON-RPC error; the server goes on."""
        log.error("%s", str(error)[:300])
        protocol = self.protocol
        if isinstance(error, JsonRpcInvalidParams) and protocol.unreadable_request is not None:
            ident, protocol.unreadable_request = protocol.unreadable_request, None
            protocol._send_response(ident, error=types.ResponseError(  # noqa: SLF001 - no public way
                code=types.ErrorCodes.InvalidParams, message="asl-lint-lsp cannot read this request's params"))
        elif isinstance(error, (json.JSONDecodeError, UnicodeDecodeError, TypeError, ValueError, AttributeError)):
            protocol._send_response(None, error=types.ResponseError(  # noqa: SLF001 - no public way
                code=types.ErrorCodes.ParseError, message=f"asl-lint-lsp cannot read this message: {error}"[:300]))

    def message_too_large(self) -> None:
        self.protocol._send_response(None, error=types.ResponseError(  # noqa: SLF001 - no public way
            code=types.ErrorCodes.ParseError,
            message=f"asl-lint-lsp reads messages of at most {MAX_MESSAGE_BYTES:,} bytes: this one is not read"))

    # ---- what a request needs

    def encoding(self) -> str:
        return str(getattr(self.workspace, "position_encoding", None) or "utf-16")

    def root_of(self, path: str) -> str | None:
        """The workspace folder a file is in (the innermost), or None: outside, nothing."""
        roots = [to_fs_path(folder.uri) for folder in self.workspace.folders.values()]
        if self.workspace.root_path:
            roots.append(self.workspace.root_path)
        inside = [root for root in roots if root and (path + os.sep).startswith(os.path.join(root, ""))]
        return max(inside, key=len) if inside else None

    def first_root(self) -> str | None:
        """The first workspace folder, or None when the editor has none open."""
        for folder in self.workspace.folders.values():
            path = to_fs_path(folder.uri)
            if path:
                return path
        return self.workspace.root_path or None

    def say_once(self, uri: str, message: str) -> None:
        """Why a document gets nothing, in the editor's log (once per document, no pop-up)."""
        if uri not in self.told:
            self.told.add(uri)
            self.window_log_message(types.LogMessageParams(types.MessageType.Info, message))

    def request(self, uri: str, **more) -> dict | None:
        """What the checking process needs to answer about an open document, or None: a
        document that is not open is never read from disk here (that would read outside
        the file policy, and a FIFO would block the server), one outside the workspace or
        not a file gets nothing, and one over the size limit is not sent."""
        document = self.workspace.text_documents.get(uri)
        if document is None or too_large(document.source):
            return None
        path = to_fs_path(uri)
        if path is None:  # no file: an untitled buffer is checked as standard input; a diff view is not
            if not uri.startswith("untitled:"):
                return None
            return {"root": self.first_root(), "path": None, "language": document.language_id,
                    "text": document.source, "open": {}, "encoding": self.encoding(), **more}
        root = self.root_of(path)
        if root is None and not self.first_root():
            root = os.path.dirname(path)  # no folder open: the file's directory, as a run there would
        if root is None:
            self.say_once(uri, f"asl-lint does not check {os.path.basename(path)}: it is outside the workspace"
                               " folders (open its folder to check it)")
            return None
        open_texts = {}
        for other, text_document in self.workspace.text_documents.items():
            other_path = to_fs_path(other) if other != uri else None
            if other_path:  # an untitled buffer or a diff view stands for no file
                open_texts[other_path] = text_document.source
        return {"root": root, "path": path, "text": document.source, "open": open_texts,
                "encoding": self.encoding(), **more}

    # ---- checking

    def schedule(self, uri: str, includers: bool = False, cascade: bool = True) -> None:
        entry = self.documents.setdefault(uri, _Document())
        entry.includers = entry.includers or includers
        entry.cascade = entry.cascade or cascade  # kept while a check runs: an edit's cascade is never lost
        if entry.task is not None and not entry.task.done():
            entry.pending = True
            return
        entry.task = asyncio.get_running_loop().create_task(self._check(uri))

    async def _check(self, uri: str) -> None:
        entry = self.documents[uri]
        while True:
            entry.pending = False
            if uri not in self.workspace.text_documents:
                return
            document = self.workspace.text_documents[uri]
            version = document.version
            request = self.request(uri, includers=entry.includers)
            entry.includers = False
            if request is None:
                self._publish(uri, version, [self._too_large()] if too_large(document.source) else [])
                return
            status, answer = await asyncio.to_thread(self.checker.call, "check", request, self.timeout)
            if entry.pending:
                continue  # a newer text is waiting: this answer is out of date
            if uri not in self.workspace.text_documents:
                return
            if status == "ok":
                entry.depends = set(answer["depends"])
                found = answer["diagnostics"]
                self._configuration(answer.get("config"))
                if any(diagnostic["code"] == "ASL001" for diagnostic in found):
                    found = found + entry.parsed  # what the last text that parsed had, where it moved to
                else:
                    entry.parsed = [_kept(diagnostic) for diagnostic in found]
                    entry.parsed_text = request["text"]
                self._publish(uri, version, found)
            else:
                self._publish(uri, version, [self._failure(status, answer)])
            break
        cascade, entry.cascade = entry.cascade, False
        if cascade:
            path = to_fs_path(uri)
            for other, other_entry in list(self.documents.items()):
                if other != uri and other in self.workspace.text_documents and (
                        path in other_entry.depends or to_fs_path(other) in entry.depends):
                    self.schedule(other, cascade=False)

    def _failure(self, status: str, why: object) -> dict:
        if status == "timeout":
            rule, message = "ASL006", (f"the check took longer than {self.timeout:g} s, asl-lint's limit for one"
                                       " check in the editor (checkTimeout): the document is not checked")
        else:
            rule, message = "ASL004", f"asl-lint failed on this document: {why}"
        return {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "severity": 1, "code": rule, "source": "asl-lint", "message": message, "data": {"rule": rule}}

    @staticmethod
    def _too_large() -> dict:
        message = (f"the document is larger than {MAX_FILE_BYTES:,} bytes, the most asl-lint reads"
                   " (--max-file-size on the command line): it is not checked")
        return {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "severity": 1, "code": "ASL012", "source": "asl-lint", "message": message,
                "data": {"rule": "ASL012"}}

    def _publish(self, uri: str, version: int | None, diagnostics: list[dict]) -> None:
        entry = self.documents.setdefault(uri, _Document())
        entry.diagnostics = diagnostics
        converted = [self._diagnostic(diagnostic) for diagnostic in diagnostics]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, converted, version))

    def _configuration(self, problem: dict | None) -> None:
        """A configuration that cannot be used is one finding on it, at its line; cleared
        once a check reads it again."""
        uri = from_fs_path(problem["path"]) if problem and problem.get("path") else None
        for flagged in list(self.config_problems):
            if flagged != uri:
                self.config_problems.discard(flagged)
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(flagged, []))
        if problem is None:
            return
        if uri is None:
            log.error("asl-lint cannot use its configuration: %s", problem["message"])
            return
        self.config_problems.add(uri)
        position = types.Position(problem["line"], problem["character"])
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, [types.Diagnostic(
            range=types.Range(position, position), message=f"asl-lint cannot use this configuration: {problem['message']}",
            severity=types.DiagnosticSeverity.Error, code="configuration", source="asl-lint")]))

    def moved(self, uri: str, changes: list) -> None:
        """Move the kept findings of a document with the edits made to it: those after an
        edit shift with it, those it touches are dropped."""
        entry = self.documents.get(uri)
        if entry is None or not entry.parsed:
            return
        for change in changes:
            if not isinstance(change, types.TextDocumentContentChangePartial):
                entry.parsed = []  # the whole text replaced: nothing to follow
                return
            entry.parsed = [moved for found in entry.parsed
                            if (moved := _shifted(found, change, self.encoding())) is not None]

    def own(self, uri: str, diagnostic: dict) -> dict:
        """A diagnostic a client sent back, with the data the server gave it: a client that
        does not echo `data` (sansio-lsp-client) is matched by range and code."""
        if (diagnostic.get("data") or {}).get("rule"):
            return diagnostic
        entry = self.documents.get(uri)
        for published in entry.diagnostics if entry else ():
            if published["code"] == diagnostic.get("code") and published["range"] == diagnostic.get("range"):
                return {**diagnostic, "data": published.get("data")}
        return diagnostic

    def _diagnostic(self, found: dict) -> types.Diagnostic:
        related = [types.DiagnosticRelatedInformation(
            types.Location(from_fs_path(info["location"]["uri"]), _range(info["location"]["range"])), info["message"])
            for info in found.get("relatedInformation", ())]
        href = (found.get("codeDescription") or {}).get("href")
        return types.Diagnostic(
            range=_range(found["range"]), message=found["message"],
            severity=types.DiagnosticSeverity(found["severity"]), code=found["code"], source=found["source"],
            code_description=types.CodeDescription(href) if href else None,
            related_information=related or None, data=found.get("data"),
            tags=[types.DiagnosticTag(tag) for tag in found["tags"]] if found.get("tags") else None)


def too_large(text: str) -> bool:
    """Whether a document is over the size limit the command line applies to files."""
    return len(text) > MAX_FILE_BYTES or (len(text) * 4 > MAX_FILE_BYTES
                                          and len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES)


def _kept(found: dict) -> dict:
    """A finding to keep while the text does not parse: its fix goes (its edits are of the
    text that parsed)."""
    data = {key: value for key, value in (found.get("data") or {}).items() if key != "fix"}
    return {**found, "data": data}


def _shifted(found: dict, change, encoding: str) -> dict | None:
    """`found` after `change` (an edit of a range): moved with the text after the edit,
    None when the edit touches it."""
    start, end = change.range.start, change.range.end
    here = found["range"]
    first = (here["start"]["line"], here["start"]["character"])
    last = (here["end"]["line"], here["end"]["character"])
    if last < (start.line, start.character):
        return found  # before the edit
    if first <= (end.line, end.character):
        return None  # the edit touches it
    inserted = change.text.split("\n")
    lines = len(inserted) - 1 - (end.line - start.line)
    tail = units(inserted[-1], encoding) + (start.character if len(inserted) == 1 else 0)

    def move(position: dict) -> dict:
        if position["line"] == end.line:  # on the edit's last line: its column moves too
            return {"line": position["line"] + lines, "character": position["character"] - end.character + tail}
        return {"line": position["line"] + lines, "character": position["character"]}

    return {**found, "range": {"start": move(here["start"]), "end": move(here["end"])}}


_SYMBOL_KINDS = {"machine": "Class", "scope": "Namespace", "state": "Function"}
_COMPLETION_KINDS = {"state": types.CompletionItemKind.Reference, "value": types.CompletionItemKind.Value,
                     "module": types.CompletionItemKind.Module, "field": types.CompletionItemKind.Field,
                     "function": types.CompletionItemKind.Function, "variable": types.CompletionItemKind.Variable,
                     "snippet": types.CompletionItemKind.Snippet} if types is not None else {}


def _symbol(found: dict) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=found["name"] or "(unnamed)", kind=getattr(types.SymbolKind, _SYMBOL_KINDS[found["kind"]]),
        range=_range(found["range"]), selection_range=_range(found["selectionRange"]), detail=found["detail"] or None,
        children=[_symbol(child) for child in found["children"]])


def _range(data: dict) -> types.Range:
    return types.Range(types.Position(**data["start"]), types.Position(**data["end"]))


def _contains(found: dict, position: types.Position) -> bool:
    start, end = found["range"]["start"], found["range"]["end"]
    here = (position.line, position.character)
    return (start["line"], start["character"]) <= here <= (end["line"], end["character"])


def build() -> AslLintServer:
    server = AslLintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: AslLintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        timeout = options.get("checkTimeout")
        if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and 0 < timeout <= 3600:
            ls.timeout = float(timeout)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: AslLintServer, params: types.InitializedParams) -> None:
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is not None and watched.dynamic_registration:
            # The configuration, templates and included files: a change on disk (a save
            # elsewhere, a branch switched) re-checks the open documents that depend on it.
            watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
            ls.client_register_capability(types.RegistrationParams([types.Registration(
                "asl-lint-watched-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                types.DidChangeWatchedFilesRegistrationOptions(watchers))]))
        await asyncio.to_thread(ls.checker.warm)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched_files_changed(ls: AslLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        changed, deleted, configuration = [], [], False
        for event in params.changes:
            path = to_fs_path(event.uri)
            if not path or event.uri in ls.workspace.text_documents:
                continue  # an open document's text is the editor's, not the disk's
            configuration = configuration or os.path.basename(path) in CONFIG_FILES
            (deleted if event.type == types.FileChangeType.Deleted else changed).append(path)
        if not changed and not deleted:
            return
        open_documents = [uri for uri in ls.workspace.text_documents if uri in ls.documents]
        if configuration:
            for uri in open_documents:
                ls.schedule(uri, cascade=False)
            return
        root = ls.first_root()
        status, affected = ("ok", []) if root is None else await asyncio.to_thread(
            ls.checker.call, "filesChanged", {"root": root, "changed": changed, "deleted": deleted}, ls.timeout)
        touched = set(changed) | set(deleted) | set(affected if status == "ok" else ())
        for uri in open_documents:
            path = to_fs_path(uri)
            if path in touched or touched & ls.documents[uri].depends:
                ls.schedule(uri, cascade=False)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AslLintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, includers=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AslLintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.moved(params.text_document.uri, list(params.content_changes))
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AslLintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)  # the includers index follows file events: no walk per save

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AslLintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.documents.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(params.text_document.uri, []))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: AslLintServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        entry = ls.documents.get(uri)
        rules = [found["code"] for found in (entry.diagnostics if entry else ()) if _contains(found, params.position)]
        request = ls.request(uri, position={"line": params.position.line, "character": params.position.character},
                             rules=rules)
        if request is None:
            return None
        status, answer = await asyncio.to_thread(ls.checker.call, "hover", request, ls.timeout)
        if status != "ok" or not answer:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, answer))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]))
    async def code_action(ls: AslLintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        only = params.context.only or []
        if any(kind in (types.CodeActionKind.SourceFixAll, types.CodeActionKind.Source) for kind in only):
            entry = ls.documents.get(uri)
            found = await ask(ls, "fixAll", uri, diagnostics=entry.diagnostics if entry else [])
            if not found or not found["edits"]:
                return None
            return [types.CodeAction(title="Fix all safe asl-lint problems", kind=types.CodeActionKind.SourceFixAll,
                                     edit=types.WorkspaceEdit(changes={
                                         from_fs_path(path): [types.TextEdit(_range(edit["range"]), edit["newText"])
                                                              for edit in edits]
                                         for path, edits in found["edits"].items()}))]
        ours = [ls.own(uri, ls.protocol._converter.unstructure(diagnostic))  # noqa: SLF001 - lsprotocol's own
                for diagnostic in params.context.diagnostics if diagnostic.source == "asl-lint"]
        request = ls.request(uri, diagnostics=ours)
        if request is None or not ours:
            return None
        status, answer = await asyncio.to_thread(ls.checker.call, "actions", request, ls.timeout)
        if status != "ok":
            return None
        actions = []
        for action in answer:
            changes = {from_fs_path(path): [types.TextEdit(_range(edit["range"]), edit["newText"]) for edit in edits]
                       for path, edits in action["edits"].items()}
            diagnostic = ls.protocol._converter.structure(action["diagnostic"], types.Diagnostic)  # noqa: SLF001
            actions.append(types.CodeAction(title=action["title"], kind=types.CodeActionKind.QuickFix,
                                            diagnostics=[diagnostic], is_preferred=action["isPreferred"] or None,
                                            edit=types.WorkspaceEdit(changes=changes)))
        return actions

    async def ask(ls: AslLintServer, kind: str, uri: str, **more) -> object:
        """The checking process's answer about an open document, or None."""
        request = ls.request(uri, **more)
        if request is None:
            return None
        status, answer = await asyncio.to_thread(ls.checker.call, kind, request, ls.timeout)
        return answer if status == "ok" else None

    def position(params) -> dict:
        return {"line": params.position.line, "character": params.position.character}

    def locations(found: object) -> list[types.Location] | None:
        if not found:
            return None
        return [types.Location(from_fs_path(place["path"]), _range(place["range"])) for place in found]

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: AslLintServer, params: types.DefinitionParams) -> list[types.Location] | None:
        return locations(await ask(ls, "definition", params.text_document.uri, position=position(params)))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: AslLintServer, params: types.ReferenceParams) -> list[types.Location] | None:
        return locations(await ask(ls, "references", params.text_document.uri, position=position(params),
                                   declaration=params.context.include_declaration))

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: AslLintServer, params: types.PrepareRenameParams):
        found = await ask(ls, "prepareRename", params.text_document.uri, position=position(params))
        if not found:
            return None
        return types.PrepareRenamePlaceholder(_range(found["range"]), found["placeholder"])

    @server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    async def rename(ls: AslLintServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        found = await ask(ls, "rename", params.text_document.uri, position=position(params),
                          newName=params.new_name)
        if found is None:
            return None
        if "error" in found:  # a name already taken, or one a template's variable writes
            raise JsonRpcException(found["error"], code=types.LSPErrorCodes.RequestFailed)
        return types.WorkspaceEdit(changes={
            from_fs_path(path): [types.TextEdit(_range(edit["range"]), edit["newText"]) for edit in edits]
            for path, edits in found["edits"].items()})

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbols(ls: AslLintServer, params: types.DocumentSymbolParams):
        found = await ask(ls, "symbols", params.text_document.uri)
        return [_symbol(symbol) for symbol in found] if found else None

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    async def folding(ls: AslLintServer, params: types.FoldingRangeParams) -> list[types.FoldingRange] | None:
        found = await ask(ls, "folding", params.text_document.uri)
        return [types.FoldingRange(fold["startLine"], fold["endLine"]) for fold in found] if found else None

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=['"', ".", "$", ":", " "]))
    async def completion(ls: AslLintServer, params: types.CompletionParams) -> list[types.CompletionItem] | None:
        uri = params.text_document.uri
        entry = ls.documents.get(uri)
        found = await ask(ls, "completion", uri, position=position(params),
                          parsed=entry.parsed_text if entry is not None else None)
        if not found:
            return None
        return [types.CompletionItem(
            label=item["label"], kind=_COMPLETION_KINDS[item["kind"]], detail=item["detail"] or None,
            text_edit=types.TextEdit(_range(item["range"]), item["text"]),
            insert_text_format=types.InsertTextFormat.Snippet if item["snippet"] else None) for item in found]

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    async def code_lens(ls: AslLintServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
        found = await ask(ls, "graph", params.text_document.uri)
        if not found:
            return None
        return [types.CodeLens(types.Range(types.Position(drawn["line"], 0), types.Position(drawn["line"], 0)),
                               types.Command("Show the state graph", GRAPH_COMMAND,
                                             arguments=[params.text_document.uri, drawn["machine"]]))
                for drawn in found]

    @server.command(GRAPH_COMMAND)
    async def show_graph(ls: AslLintServer, *arguments: object) -> str | None:
        """The Mermaid text of a machine of an open document (an extension shows it)."""
        uri = arguments[0] if arguments and isinstance(arguments[0], str) else None
        machine = arguments[1] if len(arguments or ()) > 1 else None
        found = await ask(ls, "graph", uri) if uri else None
        for drawn in found or ():
            if drawn["machine"] == machine or machine is None:
                return drawn["mermaid"]
        return None

    @server.feature("$/asl-lint/messageTooLarge")
    def message_too_large(ls: AslLintServer, params: object) -> None:
        ls.message_too_large()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: AslLintServer, params: None) -> None:
        ls.checker.close()

    return server


USAGE = """usage: asl-lint-lsp [--help] [--version]

The asl-lint language server: the Language Server Protocol on standard input and output,
started by an editor (see the editor page of the documentation for VS Code, Neovim, Helix,
Emacs and Zed). Run by hand it waits for an editor's messages; there is nothing to type.

initializationOptions: {"checkTimeout": seconds} (default 10).
"""


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        raise SystemExit(0)
    if arguments and arguments[0] in ("-V", "--version"):
        sys.stdout.write(f"asl-lint-lsp {__version__}\n")
        raise SystemExit(0)
    if arguments:
        sys.stderr.write(f"asl-lint-lsp: unknown argument {arguments[0]!r}\n{USAGE}")
        raise SystemExit(2)
    if sys.stdin is not None and sys.stdin.isatty():
        sys.stderr.write("asl-lint-lsp: waiting for an editor's messages on standard input (--help says more)\n")
    if types is None:
        sys.stderr.write("asl-lint-lsp needs pygls: pip install 'asl-lint[lsp]'\n")
        raise SystemExit(2)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)  # standard output is the protocol's
    build().start_io(_BoundedInput(sys.stdin.buffer))


if __name__ == "__main__":
    main()
