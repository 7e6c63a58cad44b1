""""Did you mean" at a bounded cost, however many names a definition has."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

MAX_CANDIDATES = 16  # names compared with each misspelling, at most
_CUTOFF = 0.8


class Suggester:
    """The closest of many names to a misspelt one.

    Comparing a misspelling with every name of a 20,000-state definition, for each of
    thousands of broken transitions, is quadratic. Only names that can reach the cutoff
    (difflib's ratio of at least 0.8 needs lengths within a factor 1.5) and that sort next
    to the misspelling, from its front or from its back, are compared: a typo leaves one
    end of a name intact, and that end finds it in a sorted index.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names))
        self._folded = {name.casefold().strip(): name for name in self.names}
        self._reversed = sorted((name[::-1], name) for name in self.names)

    def candidates(self, name: str) -> list[str]:
        """The names worth comparing with `name`: at most MAX_CANDIDATES."""
        low, high = len(name) * 2 / 3, len(name) * 3 / 2
        half = MAX_CANDIDATES // 4
        found: dict[str, None] = {}
        at = bisect.bisect_left(self.names, name)
        for candidate in self.names[max(0, at - half):at + half]:
            found[candidate] = None
        backwards = name[::-1]
        at = bisect.bisect_left(self._reversed, (backwards, ""))
        for _, candidate in self._reversed[max(0, at - half):at + half]:
            found[candidate] = None
        return [candidate for candidate in found if low <= len(candidate) <= high][:MAX_CANDIDATES]

    def closest(self, name: str) -> str | None:
        same = self._folded.get(name.casefold().strip())
        if same is not None:
            return same
        import difflib  # only for a name to correct: most runs have none

        close = difflib.get_close_matches(name, self.candidates(name), n=1, cutoff=_CUTOFF)
        return close[0] if close else None

    def hint(self, name: str, prefix: str = "") -> str:
        """'; did you mean ...?' or nothing."""
        close = self.closest(name)
        return f"; did you mean '{prefix}{close}'?" if close is not None else ""
