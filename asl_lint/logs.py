"""Loggers that import `logging` only once something may hear them.

`logging` costs a short run about a tenth of its start-up (it imports string, traceback
and threading machinery). Until some code imports it, no handler or level can have been
set, so a debug or info record would be dropped anyway: these loggers drop them without
importing it. Once `logging` is loaded (asl-lint's -v, or a program embedding asl-lint
that configured its own logging), every call goes to the real logger.
"""

from __future__ import annotations

import sys


class LazyLogger:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def _real(self):
        if "logging" not in sys.modules:
            return None
        import logging

        return logging.getLogger(self.name)

    def debug(self, message: str, *args, **kwargs) -> None:
        real = self._real()
        if real is not None:
            real.debug(message, *args, **kwargs)

    def info(self, message: str, *args, **kwargs) -> None:
        real = self._real()
        if real is not None:
            real.info(message, *args, **kwargs)


def get_logger(name: str) -> LazyLogger:
    return LazyLogger(name)
