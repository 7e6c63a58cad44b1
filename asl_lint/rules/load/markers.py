"""Problems found before any rule runs: the engine reports them under these ids."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...proposals import delete_repeat
from ..base import Finding, Rule


class InvalidSyntax(Rule):
    """The file is not valid JSON or YAML

    Nothing else can be checked until the file parses. The diagnostic points at the place
    where the reader gave up.

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"},}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL001"
    name = "syntax-error"
    aws_code = 'INVALID_JSON_DESCRIPTION'
    tags = ("load",)
    marker = True


class DuplicateKey(Rule):
    """A key written twice in one object

    JSON and YAML readers keep only the last value, so the first is silently lost. (A state
    name written twice in a `States` object is reported as duplicate-state-name.)

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 5, "Seconds": 10,
      "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 10, "End": true}}}
    ```
    """

    id = "ASL002"
    name = "duplicate-key"
    aws_code = None
    severity = Severity.WARNING
    tags = ("load",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.definition.duplicates:  # most files: the loader found no repeated key
            return
        states_objects = {scope.path + ("States",) for scope in ctx.scopes}
        for duplicate in ctx.definition.duplicates:
            if duplicate.object_path not in states_objects:
                message = f"key '{duplicate.key}' appears twice in the same object; only the last value is kept"
                fix = delete_repeat(duplicate.object_path + (duplicate.key,), duplicate.first_offset, duplicate.offset,
                                    f"Remove the repeated '{duplicate.key}'")
                yield Finding(duplicate.object_path + (duplicate.key,), message, "key", fix=fix)


class NoStateMachine(Rule):
    """A file named on the command line holds no state machine

    The file parsed, but it has no top-level `StartAt` and `States`, so there was nothing
    to check. Files found by walking a directory are skipped silently instead.

    Bad:

    ```json
    {"Comment": "not a state machine"}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL003"
    name = "no-state-machine"
    aws_code = None
    severity = Severity.INFO
    tags = ("load",)
    marker = True


class InternalError(Rule):
    """asl-lint failed inside one rule

    A bug in asl-lint, not in your definition: the other rules and files were still
    checked. Please report it with the file that caused it.

    Bad:

    ```json
    {}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL004"
    name = "internal-error"
    aws_code = None
    tags = ("load",)
    marker = True


class UnreadableFile(Rule):
    """A file could not be read

    It does not exist, is not readable, is a directory where a file was expected, or is not
    UTF-8 text.

    Bad:

    ```json
    {}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL005"
    name = "unreadable-file"
    aws_code = None
    tags = ("load",)
    marker = True


class DocumentTooComplex(Rule):
    """The document exceeds one of asl-lint's limits on size and nesting

    asl-lint bounds its work on any input, so that a hostile or generated file cannot
    stall a CI job or exhaust its memory. The limits are far above what Step Functions
    accepts and what real definitions use: values nested 200 levels, YAML aliases that
    expand to 250,000 values (a "billion laughs" file) or contain themselves, number
    literals of 400 characters, strings of 1,048,576 characters, 50,000 states, Parallel
    and Map states nested 40 deep, and JSONata expressions nested 100 deep or 50,000
    characters long (intrinsic functions nested beyond 50 are intrinsic-nesting errors).
    The message names the limit; what lies beyond it is not checked.

    Bad (a billion values once expanded):

    ```yaml
    a: &a [x, x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL006"
    name = "document-too-complex"
    aws_code = None
    tags = ("load",)

    # The loader and the engine report the limits of a whole document; this finds the
    # JSONata expressions too deep or too long to parse.
    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.index.jsonata_sites:  # most definitions have no JSONata: nothing to import or look at
            return
        from ..data.jsonata import expressions

        found = expressions(ctx)
        if not found:
            return
        from ...lang.jsonata import analyse

        for site, expression, _ in found:
            limit = analyse(expression).beyond_limit
            if limit is not None:
                yield Finding(site.path, f"{limit} (state '{site.state.name}')")
