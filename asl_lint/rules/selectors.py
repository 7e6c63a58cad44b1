"""Rule selectors as users write them (ids, names, id prefixes, tags, ALL) -> rule ids:
what the configuration, the command line and suppression comments share."""

from __future__ import annotations

from functools import lru_cache

from .catalogue import catalogue


def names_a_rule(token: str) -> bool:
    return bool(rule_ids((token,))) or token.strip().upper() == "ALL"


@lru_cache(maxsize=1)
def _selector_index() -> dict[str, frozenset[str]]:
    """Every selector that names rules (ids, names, id prefixes, tags, ALL), lower case,
    to the ids it names: one dictionary lookup per token, however many tokens."""
    index: dict[str, set[str]] = {"all": set()}
    for rule in catalogue().values():
        keys = {rule.id.lower(), rule.name, *(tag.lower() for tag in rule.tags)}
        keys.update(rule.id.lower()[:size] for size in range(3, len(rule.id)))
        for key in keys:
            index.setdefault(key, set()).add(rule.id)
        index["all"].add(rule.id)
    return {key: frozenset(ids) for key, ids in index.items()}


def rule_ids(tokens) -> set[str]:
    """The ids of the rules that any of `tokens` names (unknown tokens name none)."""
    index = _selector_index()
    found: set[str] = set()
    for token in set(tokens):
        found |= index.get(token.strip().lower(), frozenset())
    return found
