"""The rule catalogue: every module below this package defines and registers rules."""

from __future__ import annotations

import importlib
import pkgutil

from .base import REGISTRY, Finding, Rule, RuleRegistry

__all__ = ["REGISTRY", "Finding", "Rule", "RuleRegistry", "load_rules"]

_loaded = False


def load_rules() -> RuleRegistry:
    """Import every rule module once; registration happens in Rule.__init_subclass__."""
    global _loaded
    if not _loaded:
        for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
            importlib.import_module(module.name)
        _loaded = True
    return REGISTRY
