"""The stages of a run, plain data between them:

paths --plan--> candidates --check--> FileReports --settle--> LintResult

`lint` composes them for a whole run, `fix` runs them again over the fixed texts. The
adapters (the Python API, the command line, the language server) call these, never the
layers below them directly."""
