"""asl-lint's version: the one place it is written (the build backend reads it here; a
release is the git tag vX.Y.Z on the commit that sets it, RELEASING.md)."""

__version__ = "0.1.0"
