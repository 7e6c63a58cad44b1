"""Shared wording for rules that talk about state names."""

from __future__ import annotations

import difflib


def did_you_mean(name: str, candidates: list[str]) -> str:
    folded = {candidate.casefold().strip(): candidate for candidate in candidates}
    if name.casefold().strip() in folded:
        return f"; did you mean '{folded[name.casefold().strip()]}'?"
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.8)
    return f"; did you mean '{close[0]}'?" if close else ""


def quoted_list(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
