"""Every JSONPath a JSONPath state evaluates, parsed once per state for the path rules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...context import RuleContext
from ...lang.fields import Site
from ...lang.intrinsics import IntrinsicError, looks_like_call, parse_call
from ...lang.paths import ParsedPath, PathError, parse_path


@dataclass(slots=True)
class PathUse:
    site: Site
    text: str
    offset: int  # where the path starts inside the string value
    kind: str  # "path" | "reference" | "result" | "fail" | "template" | "argument"
    parsed: ParsedPath | None
    error: PathError | None

    def within(self, start: int, end: int) -> tuple[int, int]:
        # A problem "at the end" marks the last character rather than nothing.
        start = min(start, max(len(self.text) - 1, 0))
        end = max(start + 1, min(end, len(self.text)))
        return self.offset + start, self.offset + end


def path_uses(ctx: RuleContext) -> list[PathUse]:
    """Every path of the JSONPath states, parsed: from the index's path and template sites."""
    return ctx.shared("path uses", lambda ctx: list(_uses(ctx)))


def _uses(ctx: RuleContext) -> Iterator[PathUse]:
    sites = [*ctx.index.path_sites, *((site, "template") for site, _ in ctx.index.template_sites)]
    placeholders = ctx.definition.placeholders  # most definitions have none: asked once, not per site
    for site, kind in sites:
        value = site.value
        if not isinstance(value, str) or placeholders and site.path in placeholders:
            continue
        if value.startswith("$"):  # a path (most are): no intrinsic call starts so
            yield _use(site, value, 0, kind)
        elif looks_like_call(value):
            yield from _arguments(site, value)
        elif kind != "template":
            yield _use(site, value, 0, kind)


def _use(site: Site, text: str, offset: int, kind: str) -> PathUse:
    try:
        return PathUse(site, text, offset, kind, parse_path(text), None)
    except PathError as error:
        return PathUse(site, text, offset, kind, None, error)


def _arguments(site: Site, value: str) -> Iterator[PathUse]:
    try:
        call = parse_call(value)
    except IntrinsicError:
        return  # the intrinsic rules report it
    for each in call.calls():
        for arg in each.args:
            if arg.kind == "path":
                yield _use(site, str(arg.value), arg.start, "argument")
