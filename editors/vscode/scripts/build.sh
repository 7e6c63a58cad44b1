#!/bin/sh
# Builds editors/vscode/asl-lint.vsix: installs the extension's packages (npm ci when the
# lock file is there), compiles it, runs its tests and packages it with @vscode/vsce.
# ASL_LINT_PYTHON: an interpreter with asl-lint installed, for the protocol test (else
# asl-lint-lsp on PATH).
set -eu
cd "$(dirname "$0")/.."
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm test
npm run package
echo "built $(pwd)/asl-lint.vsix"
