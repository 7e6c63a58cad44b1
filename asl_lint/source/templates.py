"""Terraform templates (`templatefile()`, `.tftpl`, `.tpl`): JSON or YAML with `%{ }`
directives, read as their first branch."""

from __future__ import annotations

import re

_DIRECTIVE = re.compile(r"(?<!%)%\{~?\s*(if|else|endif|for|endfor)\b[^}]*\}")
_NOT_NEWLINE = re.compile(r"[^\n]")


def directives_blanked(text: str) -> str:
    """A Terraform template read as its first branch: each %{ } directive, and every
    `%{ else }` branch, become spaces (lines kept), a `%{ for }` body is read once, so the
    JSON or YAML around them parses and every offset stays where it was."""
    if "%{" not in text:
        return text
    blanked: list[tuple[int, int]] = []
    skipping: list[bool] = []  # per open if/for: whether its current branch is skipped
    position = 0
    for match in _DIRECTIVE.finditer(text):
        if any(skipping):
            blanked.append((position, match.start()))
        keyword = match.group(1)
        if keyword in ("if", "for"):
            skipping.append(False)
        elif keyword == "else" and skipping:
            skipping[-1] = True
        elif keyword in ("endif", "endfor") and skipping:
            skipping.pop()
        blanked.append(match.span())
        position = match.end()
    if any(skipping):
        blanked.append((position, len(text)))
    parts, last = [], 0
    for start, end in blanked:
        parts += [text[last:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        last = end
    return "".join(parts) + text[last:]
