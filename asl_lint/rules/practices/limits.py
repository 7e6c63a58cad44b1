"""ASL504-ASL508: limits of the service, names, and structure AWS accepts but warns about."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ..base import Finding, Rule

MAX_DEFINITION = 1_048_576
MAX_PAYLOAD = 262_144
# Made once: json.dumps with options builds an encoder on every call.
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_SPACED = json.JSONEncoder(ensure_ascii=False)


def compact_size(ctx: RuleContext) -> int:
    """Characters of the definition written as compact JSON (what AWS's size limit counts)."""
    return ctx.shared("compact size", lambda ctx: len(_COMPACT.encode(ctx.data)))


# Compact JSON of a value read from JSON text is at most this many times the text: a number
# is the only thing that can grow (1e15 -> 1000000000000000.0, 4.5 times); strings, keys
# and escapes are written back no longer, and white space goes.
MAX_GROWTH = 4.5


def compact_size_at_most(ctx: RuleContext) -> float:
    """An upper bound of compact_size, without encoding when the definition is a JSON text."""
    written = ctx.definition.written_chars
    return written * MAX_GROWTH if written is not None else compact_size(ctx)


# Bytes of a parsed value written as JSON per character of its repr(), at most: JSON
# escapes a `"` that repr may not (2 characters for 1), writes inf as Infinity (8 for 3),
# and a character takes up to 4 bytes; containers, keys and the rest are written alike.
# repr() is one C call, a fifth of what an encoder call costs on a small field.
REPR_GROWTH = 3 * 4

YEAR = 366 * 24 * 3600
EXPRESS_SECONDS = 300
NESTING_WARNING = 10


class DefinitionTooLarge(Rule):
    """A definition longer than the 1,048,576 characters Step Functions accepts

    The definition, as sent to AWS, is limited to 1 MiB of characters (a hard quota).
    Split the work into child state machines, or move large static data out.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Result": "(more than a million characters)"}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}
    ```
    """

    id = "ASL504"
    name = "definition-too-large"
    aws_code = None
    aws_rejects = True  # the API refuses it before any diagnostic (a ValidationException on `definition`)
    tags = ("practices", "limits")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if compact_size_at_most(ctx) <= MAX_DEFINITION:
            return
        size = compact_size(ctx)
        if size > MAX_DEFINITION:
            yield Finding((), f"the definition has {size:,} characters even without white space; the limit is"
                          f" {MAX_DEFINITION:,}", "key")


class StaticPayloadTooLarge(Rule):
    """A literal payload larger than the 256 KiB a state can pass on

    Inputs and outputs of states are limited to 256 KiB; a larger `Result`, literal
    `Parameters` or `Assign` value fails with `States.DataLimitExceeded`.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Result": "(300 KiB of text)"}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Result": {"bucket": "data", "key": "big.json"}}}}
    ```
    """

    id = "ASL505"
    name = "static-payload-too-large"
    aws_code = None
    severity = Severity.WARNING
    tags = ("practices", "limits")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # A field written with spaces is at most 1.5 times its compact text, and a character
        # at most 4 bytes: in a definition this small, no field can reach the limit.
        if compact_size_at_most(ctx) * 6 <= MAX_PAYLOAD or compact_size(ctx) * 6 <= MAX_PAYLOAD:
            return
        for state in ctx.states:
            for field in ("Result", "Parameters", "Arguments", "Assign", "Output", "ItemSelector"):
                if field in state.data:
                    if len(repr(state.data[field])) * REPR_GROWTH <= MAX_PAYLOAD:
                        continue  # far below the limit: not worth encoding
                    size = len(_SPACED.encode(state.data[field]).encode("utf-8", "surrogatepass"))
                    if size > MAX_PAYLOAD:
                        yield Finding(state.path + (field,), f"{field} is {size:,} bytes; a state passes on at most"
                                      f" {MAX_PAYLOAD:,} (state '{state.name}')", "key")


class SuspiciousStateName(Rule):
    """A state name with control or invisible characters

    Spaces and Unicode are fine in state names; control characters and invisible ones
    (zero-width spaces, direction marks) make names that look equal but are not, and AWS
    forbids them in other names.

    Bad:

    ```json
    {"StartAt": "Start\\u200b", "States": {"Start\\u200b": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "Start", "States": {"Start": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL506"
    name = "suspicious-state-name"
    aws_code = None
    severity = Severity.WARNING
    tags = ("practices", "names")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.states:
            if state.name.isprintable():  # Cc and Cf characters are never printable: the common case, in C
                continue
            bad = [ch for ch in state.name if unicodedata.category(ch) in ("Cc", "Cf")]
            if bad:
                shown = ", ".join(f"U+{ord(ch):04X}" for ch in bad[:3])
                yield Finding(state.path, f"state name {state.name!r} holds invisible or control characters ({shown})",
                              "key")


class UnknownBranchField(Rule):
    """A Parallel branch with fields other than `StartAt`, `States` and `Comment`

    A branch is a small state machine with `StartAt` and `States`; anything else is
    ignored, often a field meant for the Parallel state itself.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}, "ResultPath": "$.b"}]}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "ResultPath": "$.b", "Branches": [
      {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}]}}}
    ```
    """

    id = "ASL507"
    name = "unknown-branch-field"
    aws_code = None
    severity = Severity.WARNING
    tags = ("practices",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope in ctx.scopes:
            if len(scope.path) >= 2 and scope.path[-2] == "Branches":
                for key in scope.data:
                    if key not in ("StartAt", "States", "Comment"):
                        yield Finding(scope.path + (key,), f"'{key}' is not a field of a Parallel branch and is ignored"
                                      f" ({scope.label})", "key")


class NestedTooDeeply(Rule):
    """Parallel and Map states nested more than 10 levels deep

    AWS rejects definitions that are nested too deeply ("TOO_DEEPLY_NESTED") without
    documenting the limit; deep nesting is also hard to read. Move inner levels into
    child state machines.

    Bad:

    ```json
    {"StartAt": "L1", "States": {"L1": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L2", "States": {"L2": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L3", "States": {"L3": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L4", "States": {"L4": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L5", "States": {"L5": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L6", "States": {"L6": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L7", "States": {"L7": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L8", "States": {"L8": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L9", "States": {"L9": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L10", "States": {"L10": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "L11", "States": {"L11": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "L1", "States": {"L1": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}}}}
    ```
    """

    id = "ASL508"
    name = "nested-too-deeply"
    aws_code = None
    severity = Severity.WARNING
    tags = ("practices", "limits")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope in ctx.scopes:
            if scope.depth == NESTING_WARNING + 1:
                yield Finding(scope.path, f"{scope.label} is nested {scope.depth} levels deep; AWS rejects definitions"
                              " nested too deeply", "key")


class LongerThanExecution(Rule):
    """A wait or timeout longer than an execution can last

    A Standard execution lasts at most a year, an Express one five minutes; a `Wait`,
    `TimeoutSeconds` or top-level `TimeoutSeconds` beyond that can never take effect.

    Bad:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 40000000, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": true}}}
    ```
    """

    id = "ASL509"
    name = "longer-than-execution"
    aws_code = None
    severity = Severity.WARNING
    tags = ("practices", "limits")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        express = ctx.definition.workflow_type == "EXPRESS"
        limit, what = (EXPRESS_SECONDS, "an Express execution (300 s)") if express else (YEAR, "a Standard execution (a year)")
        candidates = [((), "TimeoutSeconds", ctx.data.get("TimeoutSeconds") if isinstance(ctx.data, dict) else None)]
        for state in ctx.index.states_of_type("Wait", "Task"):
            for field in ("Seconds", "TimeoutSeconds", "HeartbeatSeconds"):
                candidates.append((state.path, field, state.data.get(field)))
        for base, field, value in candidates:
            if isinstance(value, int) and not isinstance(value, bool) and value > limit:
                yield Finding(base + (field,), f"{field} {value} is longer than {what} can last")
