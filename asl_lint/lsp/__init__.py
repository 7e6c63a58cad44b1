"""asl-lint in the editor: a language server (`asl-lint-lsp`) over the same engine.

`server` speaks the Language Server Protocol (with pygls, the optional extra
`asl-lint[lsp]`) and never checks anything itself: `worker` runs the checks in a
process of their own, warm and replaceable, and `analysis` is what that process does,
with the command line's API (lint_paths with an overlay of the editor's unsaved texts,
fixes.fix_for) and nothing of LSP but its positions and shapes.
"""
