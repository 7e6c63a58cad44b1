"""Shared wording for rules that talk about state names."""

from __future__ import annotations

from ...context import RuleContext
from ...model import Scope
from ...suggest import Suggester


def names_of(ctx: RuleContext, scope: Scope) -> Suggester:
    """The state names of one scope, indexed once for every suggestion made in it."""
    states = scope.data.get("States")
    return ctx.shared(("state names", scope.path), lambda ctx: Suggester(states if isinstance(states, dict) else ()))


def quoted_list(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
