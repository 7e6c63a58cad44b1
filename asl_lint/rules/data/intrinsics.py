"""ASL320-ASL324: intrinsic functions (`States.Format(...)`) in JSONPath states."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...lang.intrinsics import (FUNCTIONS, HASH_ALGORITHMS, MAX_NESTING, Call,
                                IntrinsicError, IntrinsicTooDeep, format_placeholders, looks_like_call, parse_call)
from ..base import Finding, Rule

INT32 = (-2**31, 2**31 - 1)


def _calls(ctx: RuleContext) -> list[tuple[tuple, str, str, object]]:
    """(path, text, state name, Call or IntrinsicError) for every intrinsic where one is allowed;
    parsed once per definition for all the intrinsic rules."""
    return ctx.shared("intrinsic calls", lambda ctx: list(_parse_calls(ctx)))


def _parse_calls(ctx: RuleContext) -> Iterator[tuple[tuple, str, str, object]]:
    sites = [site for site, _ in ctx.index.template_sites]
    sites += [site for site, kind in ctx.index.path_sites if kind == "fail"]
    for site in sites:
        value = site.value
        if not isinstance(value, str) or value.startswith("$") or not looks_like_call(value):
            continue
        if ctx.is_placeholder(site.path):
            continue
        try:
            yield site.path, value, site.state.name, parse_call(value)
        except IntrinsicError as error:
            yield site.path, value, site.state.name, error


class IntrinsicSyntax(Rule):
    """An intrinsic function call that does not parse

    Arguments are single-quoted strings (with `\\'`, `\\{`, `\\}` and `\\\\` escaped),
    numbers, `null`, `true`/`false`, paths or other intrinsic calls, separated by commas.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"msg.$": "States.Format(\\"Hello {}\\", $.name)"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"msg.$": "States.Format('Hello {}', $.name)"}}}}
    ```
    """

    id = "ASL320"
    name = "intrinsic-syntax"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "intrinsics")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path, text, state, result in _calls(ctx):
            if isinstance(result, IntrinsicError) and not isinstance(result, IntrinsicTooDeep):
                start = min(result.offset, len(text) - 1)  # "found the end": mark the last character
                end = min(max(result.end, start + 1), len(text))
                yield Finding(path, f"{result.message} (state '{state}')", within=(start, end))


class UnknownIntrinsic(Rule):
    """A call to an intrinsic function that does not exist

    There are 18 intrinsic functions, spelled exactly (`States.Format`, not
    `States.format`); AWS rejects any other name.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "States.Uuid()"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "States.UUID()"}}}}
    ```
    """

    id = "ASL321"
    name = "unknown-intrinsic"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "intrinsics")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path, _, state, result in _calls(ctx):
            if not isinstance(result, Call):
                continue
            for call in result.calls():
                if call.name in FUNCTIONS:
                    continue
                same = [name for name in FUNCTIONS if name.lower() == call.name.lower()]
                import difflib  # only for a name to correct

                close = same or difflib.get_close_matches(call.name, list(FUNCTIONS), n=1, cutoff=0.8)
                hint = f"; did you mean {close[0]}?" if close else ""
                yield Finding(path, f"'{call.name}' is not an intrinsic function{hint} (state '{state}')",
                              within=(call.start, call.name_end))


class IntrinsicArity(Rule):
    """An intrinsic function called with the wrong number of arguments

    Each function takes a fixed number of arguments (`States.MathAdd` two,
    `States.ArrayRange` three); `States.Format` takes one value per `{}` in its template.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"msg.$": "States.Format('{} of {}', $.done)"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"msg.$": "States.Format('{} of {}', $.done, $.total)"}}}}
    ```
    """

    id = "ASL322"
    name = "intrinsic-arity"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "intrinsics")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path, _, state, result in _calls(ctx):
            if not isinstance(result, Call):
                continue
            for call in result.calls():
                signature = FUNCTIONS.get(call.name)
                if signature is None:
                    continue
                count = len(call.args)
                if count < signature.minimum or (signature.maximum is not None and count > signature.maximum):
                    expected = (str(signature.minimum) if signature.minimum == signature.maximum
                                else f"{signature.minimum} or more" if signature.maximum is None
                                else f"{signature.minimum} to {signature.maximum}")
                    yield Finding(path, f"{call.name} takes {expected} argument(s), not {count} (state '{state}')",
                                  within=(call.start, call.end))
                elif call.name == "States.Format" and call.args[0].kind == "string":
                    wanted = format_placeholders(call.args[0].raw)
                    if wanted != count - 1:
                        yield Finding(path, f"the template of States.Format has {wanted} '{{}}' but {count - 1}"
                                      f" value(s) follow it (state '{state}')", within=(call.start, call.end))


class IntrinsicArgument(Rule):
    """An intrinsic function argument that cannot work

    Literal arguments must fit the function: `States.Hash` takes MD5, SHA-1, SHA-256,
    SHA-384 or SHA-512; `States.ArrayRange` a non-zero step and at most 1000 items;
    `States.MathAdd` 32-bit integers; `States.JsonMerge` only a shallow merge (`false`);
    `States.JsonToString` a path. AWS accepts these definitions, and the execution fails
    with `States.Runtime`.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"h.$": "States.Hash($.data, 'SHA256')"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"h.$": "States.Hash($.data, 'SHA-256')"}}}}
    ```
    """

    id = "ASL323"
    name = "intrinsic-argument"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "intrinsics")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path, _, state, result in _calls(ctx):
            if not isinstance(result, Call):
                continue
            for call in result.calls():
                for arg, problem in _argument_problems(call):
                    yield Finding(path, f"{call.name}: {problem} (state '{state}')", within=(arg.start, arg.end))


def _argument_problems(call: Call):
    signature = FUNCTIONS.get(call.name)
    if signature is None:
        return
    args = call.args
    for index, arg in enumerate(args):
        kind = signature.kinds[index] if index < len(signature.kinds) else "any"
        if kind == "integer" and arg.kind in ("string", "boolean", "null"):
            yield arg, f"argument {index + 1} must be a number, not {arg.kind}"
        elif kind == "array" and arg.kind in ("string", "number", "boolean", "null"):
            yield arg, f"argument {index + 1} must be an array (a path or States.Array), not a {arg.kind}"
        elif kind == "string" and arg.kind in ("number", "boolean", "null"):
            yield arg, f"argument {index + 1} must be a string, not {arg.kind}"
        elif kind == "path" and arg.kind != "path":
            yield arg, f"argument {index + 1} must be a path to the value to serialise"
        elif kind == "object" and arg.kind in ("string", "number", "boolean", "null"):
            yield arg, f"argument {index + 1} must be an object (a path), not a {arg.kind}"
    literal = {i: arg.value for i, arg in enumerate(args) if arg.kind in ("number", "string", "boolean")}
    if call.name == "States.Hash" and isinstance(literal.get(1), str) and literal[1] not in HASH_ALGORITHMS:
        yield args[1], f"'{literal[1]}' is not one of {', '.join(HASH_ALGORITHMS)}"
    if call.name == "States.JsonMerge" and literal.get(2) is True:
        yield args[2], "Step Functions only merges shallowly: the third argument must be false"
    if call.name == "States.MathAdd":
        for i in (0, 1):
            value = literal.get(i)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not INT32[0] <= value <= INT32[1]:
                yield args[i], f"{value} is outside the 32-bit integer range"
    if call.name == "States.ArrayPartition" and isinstance(literal.get(1), (int, float)) and literal[1] <= 0:
        yield args[1], "the chunk size must be greater than 0"
    if call.name == "States.ArrayRange" and all(isinstance(literal.get(i), (int, float)) for i in range(3)):
        start, end, step = (literal[i] for i in range(3))
        if step == 0:
            yield args[2], "the step cannot be 0"
        elif (end - start) / step + 1 > 1000:
            yield call_span(call), "the range would have more than 1000 items"


def call_span(call: Call):
    from ...lang.intrinsics import Arg

    return Arg("call", call, call.start, call.end)


class IntrinsicNesting(Rule):
    """Intrinsic functions nested more than 10 deep

    Step Functions evaluates at most 10 nested intrinsic functions in one field.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Parameters": {"n.$":
      "States.MathAdd(States.MathAdd(States.MathAdd(States.MathAdd(States.MathAdd(States.MathAdd(States.MathAdd(States.MathAdd(States.MathAdd(States.MathAdd(States.MathAdd(1, 1), 1), 1), 1), 1), 1), 1), 1), 1), 1), 1)"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"n.$": "States.MathAdd(States.MathAdd(1, 1), 1)"}}}}
    ```
    """

    id = "ASL324"
    name = "intrinsic-nesting"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "intrinsics")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path, _, state, result in _calls(ctx):
            if isinstance(result, Call) and result.depth() > MAX_NESTING:
                yield Finding(path, f"intrinsic functions are nested {result.depth()} deep; the limit is"
                              f" {MAX_NESTING} (state '{state}')")
            elif isinstance(result, IntrinsicTooDeep):
                yield Finding(path, f"{result.message}; the limit is {MAX_NESTING} (state '{state}')")
