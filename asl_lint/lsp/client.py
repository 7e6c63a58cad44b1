"""A minimal Language Server Protocol client over a subprocess's standard streams, with
no library: the framing and JSON-RPC by hand. Drives `asl-lint-lsp` in the tests and the
latency benchmark, as an editor would.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path


class Client:
    def __init__(self, root: str | os.PathLike, command: list[str] | None = None,
                 initialization_options: dict | None = None, encodings: list[str] | None = None,
                 folders: bool = True, capabilities: dict | None = None) -> None:
        """`folders`: False starts as an editor with no folder open (no rootUri, no workspace folders)."""
        self.root = Path(root).resolve()
        self.process = subprocess.Popen(command or [sys.executable, "-m", "asl_lint.lsp.server"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        cwd=self.root)
        self.messages: queue.Queue = queue.Queue()
        self.notifications: list[dict] = []
        self._ids = itertools.count(1)
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_errors, daemon=True).start()
        general = {"positionEncodings": encodings} if encodings else {}
        self.initialize_result = self.request("initialize", {
            "processId": os.getpid(), "rootUri": self.uri("") if folders else None, "capabilities": {"general": general, **(capabilities or {})},
            "workspaceFolders": [{"uri": self.uri(""), "name": self.root.name}] if folders else None,
            "initializationOptions": initialization_options or {}}, timeout=120)
        self.notify("initialized", {})

    def uri(self, relative: str) -> str:
        return (self.root / relative).as_uri() if relative else self.root.as_uri()

    # ---- the wire

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def _drain_errors(self) -> None:
        for _ in self.process.stderr:
            pass

    def send_raw(self, body: bytes) -> None:
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _send(self, message: dict) -> None:
        self.send_raw(json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8"))

    def notify(self, method: str, params: object = None) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: object = None, timeout: float = 30) -> dict:
        ident = next(self._ids)
        self._send({"id": ident, "method": method, "params": params})
        return self.wait(lambda message: message.get("id") == ident and "method" not in message, timeout)

    def wait(self, matches, timeout: float = 30) -> dict:
        """The first message (seen before or coming) that `matches`."""
        for message in self.notifications:
            if matches(message):
                self.notifications.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no such message from the server")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                raise EOFError("the server closed its output")
            if matches(message):
                return message
            self.notifications.append(message)

    # ---- documents

    def open(self, relative: str, text: str, language: str = "json", version: int = 1) -> str:
        uri = self.uri(relative)
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                              "version": version, "text": text}})
        return uri

    def change(self, uri: str, version: int, text: str | None = None, range_: dict | None = None,
               new_text: str = "") -> None:
        change = {"text": text} if range_ is None else {"range": range_, "text": new_text}
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [change]})

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 30) -> list[dict]:
        """The diagnostics published for a document (at this version)."""
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri
                            and (version is None or m["params"].get("version") == version), timeout)
        return message["params"]["diagnostics"]

    def close(self) -> int:
        """shutdown and exit; the server's exit status."""
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit")
            return self.process.wait(30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(30)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                try:
                    stream.close()
                except OSError:
                    pass
