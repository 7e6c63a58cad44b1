"""The limits that bound asl-lint's work on any input, decided here and nowhere else.

Each is well above what Step Functions accepts (a definition is at most 1,048,576
characters) and far above what real definitions use (the deepest of about 1,400 public
definitions and templates nests values 27 levels and Parallel/Map states 3 levels). Below
them every stage finishes without exhausting Python's stack and in time linear in the
input; above them the input is reported under ASL006 (ASL012 for a file too large to read)
with the limit's name and where it was exceeded.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

MAX_FILE_BYTES = 10 * 1024 * 1024  # a file larger than this is not read (--max-file-size)
MAX_CONFIG_BYTES = 1024 * 1024  # .asl-lint.yaml, pyproject.toml
MAX_IGNORE_FILE_BYTES = 1024 * 1024  # one .gitignore (git's own limit is 100 MiB)
MAX_BASELINE_BYTES = 64 * 1024 * 1024  # a baseline of 200,000 findings
MAX_VALUE_DEPTH = 200  # objects and lists inside each other, in JSON and YAML alike
MAX_YAML_NODES = 250_000  # values after YAML alias expansion (a "billion laughs" file)
MAX_YAML_CHARACTERS = 16 * 1_048_576  # characters of strings after YAML alias expansion
# Step Functions' own limit on a definition: one that YAML aliases, substitutions or
# intrinsic functions build past it from far less text is reported (ASL504), not checked.
MAX_DEFINITION_CHARACTERS = 1_048_576
MAX_NUMBER_LENGTH = 400  # characters of one number literal (a double has at most 309 digits)
MAX_STRING_LENGTH = 1_048_576  # characters of one string: no longer string fits in a definition
MAX_STATES = 50_000  # states in one state machine: 1,048,576 characters hold about 47,000
MAX_SCOPE_DEPTH = 40  # Parallel and Map states inside each other (ASL508 warns above 10)
MAX_INTRINSIC_DEPTH = 50  # intrinsic calls inside each other (AWS allows 10: ASL324)
MAX_JSONATA_DEPTH = 100  # brackets and operator chains inside one JSONata expression
MAX_JSONATA_LENGTH = 50_000  # characters of one JSONata expression (the longest seen: 632)
# bytes of one .tf file parsed as HCL (the largest seen: 24 KB): tree-sitter's tree takes
# about 100 times the text in memory, so this keeps one file under 2 s and 300 MB
MAX_HCL_BYTES = 1024 * 1024


def keep_recursion_limit(importer: Callable[[], T]) -> T:
    """Run `importer` (an import of a library that raises the recursion limit process-wide,
    as jsonata-python does) and put the limit back: the limits above keep every recursive
    stage far below Python's default, and a higher limit only trades a clean RecursionError
    for a crash of the interpreter's own stack."""
    previous = sys.getrecursionlimit()
    try:
        return importer()
    finally:
        sys.setrecursionlimit(previous)


def built_size(value: object, budget: int) -> int:
    """About how many characters `value` takes as compact JSON, counted up to a little
    past `budget` and no further: a value that repeats one large object a thousand times
    (an alias, a substitution) costs no more to measure than the budget."""
    size = 0
    stack = [value]
    while stack and size <= budget:
        item = stack.pop()
        if isinstance(item, str):
            size += len(item) + 2
        elif isinstance(item, dict):
            size += 2 + len(item)
            for key, member in item.items():
                size += len(key) + 3 if isinstance(key, str) else 8
                stack.append(member)
        elif isinstance(item, list):
            size += 2 + len(item)
            stack.extend(item)
        else:
            size += 5
    return size
