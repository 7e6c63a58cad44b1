"""What the user asked for: which rules run, at what severity, on which files, and when
the run fails; from the command line over a configuration file over the defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path

from .diagnostics import Severity
from .limits import MAX_FILE_BYTES
from .rules import load_rules

CONFIG_FILES = (".asl-lint.yaml", ".asl-lint.yml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration that cannot be used: the message names the file and the key."""


@dataclass
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    # rule selector (id, name, prefix, tag or ALL) -> severity; the most specific wins
    severities: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = Severity.ERROR  # None: never fail on diagnostics
    kind: str | None = None  # asl | cloudformation | serverless; None: recognise by content
    workflow_type: str = "STANDARD"  # for definitions whose host does not say (--type)
    max_file_bytes: int = MAX_FILE_BYTES  # larger files are not read (ASL012)
    allow_outside_references: bool = False  # read referenced files outside the linted trees
    reference_roots: tuple[str, ...] | None = None  # those trees; None: from the current directory
    exclude: tuple[str, ...] = ()  # gitwildmatch patterns of paths not to walk into
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)  # glob -> rule selectors
    respect_gitignore: bool = True
    force_exclude: bool = False  # exclude files named on the command line too (pre-commit)
    skip_unrecognized: bool = False  # named files whose names say nothing are skipped as walked ones
    with_includers: bool = False  # also check the project's files that include the named files
    stdin_filename: str | None = None  # standard input is linted as if it were this file
    keep_machines: bool = False  # keep each machine's data in the result, to draw it
    jobs: int = 0
    baseline: str | None = None  # findings recorded here are not reported
    root: str | None = None  # the directory that globs and the baseline are relative to
    source: str | None = None  # the configuration file read, if any

    def __post_init__(self) -> None:
        self.validate()  # Config(select=("ASL999",)) is a mistake to say at once

    def validate(self) -> None:
        """Raise ConfigError for a selector that names no rule, tag or id prefix."""
        tokens = [*self.select, *self.ignore, *self.extend_select, *self.severities]
        tokens += [token for rules in self.per_file_ignores.values() for token in rules]
        for token in tokens:
            if not names_a_rule(token):
                raise ConfigError(f"'{token}' names no rule, rule prefix or tag (see --list-rules)")

    @cached_property
    def _enabled(self) -> dict[str, bool]:
        result = {}
        chosen_tokens = (*self.select, *self.extend_select)
        for rule in load_rules():
            chosen = max((_score(t, rule) for t in chosen_tokens), default=-1)
            dropped = max((_score(t, rule) for t in self.ignore), default=-1)
            # Rules off by default run only when selected by something finer than ALL.
            wanted = chosen >= (0 if rule.enabled_by_default else 1)
            result[rule.id] = wanted and chosen > dropped  # a tie goes to ignore
        return result

    def enabled(self, rule_id: str) -> bool:
        return self._enabled.get(rule_id, True)

    @cached_property
    def _severity(self) -> dict[str, Severity]:
        result = {}
        for rule in load_rules():
            best = -1
            for token, level in self.severities.items():  # later tokens win a tie
                score = _score(token, rule)
                if score >= 0 and score >= best:
                    best, result[rule.id] = score, level
        return result

    def severity_of(self, rule) -> Severity:
        return self._severity.get(rule.id, rule.severity)

    @cached_property
    def _per_file(self) -> list[tuple[object, tuple[str, ...]]]:
        import pathspec

        return [(pathspec.GitIgnoreSpec.from_lines([glob]), rules)
                for glob, rules in self.per_file_ignores.items()]

    def ignored_in(self, rule_id: str, file: str) -> bool:
        """Whether per-file-ignores turn this rule off for this file."""
        if not self.per_file_ignores:
            return False
        rule = load_rules().get(rule_id)
        relative = relative_to(file, self.root)
        return rule is not None and any(spec.match_file(relative) and any(_score(t, rule) >= 0 for t in rules)
                                        for spec, rules in self._per_file)

    def merged(self, **overrides: object) -> Config:
        """A copy with the given fields replaced (None leaves a field as it is)."""
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})


def relative_to(file: str, root: str | None) -> str:
    """`file` as a POSIX path relative to `root` (or to the current directory)."""
    try:
        return Path(os.path.relpath(os.path.abspath(file), os.path.abspath(root or "."))).as_posix()
    except ValueError:  # another drive on Windows
        return Path(file).as_posix()


def names_a_rule(token: str) -> bool:
    return _specificity(token, None) is not None or any(_specificity(token, rule) is not None
                                                         for rule in load_rules())


def _score(token: str, rule) -> int:
    specificity = _specificity(token, rule)
    return -1 if specificity is None else specificity


def _specificity(token: str, rule) -> int | None:
    """How precisely `token` names `rule`: exact 3, id prefix 2, tag 1, ALL 0; None if not."""
    token = token.strip()
    if token.upper() == "ALL":
        return 0
    if rule is None:
        return None
    if token.upper() == rule.id or token.lower() == rule.name:
        return 3
    if token.upper().startswith("ASL") and rule.id.startswith(token.upper()):
        return 2
    if token.lower() in rule.tags:
        return 1
    return None


# ---- configuration files


def find_config_file(start: str | os.PathLike = ".") -> Path | None:
    """The first .asl-lint.yaml, .asl-lint.yml or pyproject.toml with [tool.asl-lint] found
    in `start` or a directory above it."""
    directory = Path(start).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "asl-lint" in _read_toml(path).get("tool", {})
    except ConfigError:
        return False


def _read_toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None


def read_config_file(path: str | os.PathLike) -> tuple[dict, object]:
    """The settings in a configuration file and a function from a key path to where it
    is written ('file:line:col' for YAML, 'file' for TOML); raises ConfigError."""
    path = Path(path)
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        settings = _read_toml(path).get("tool", {}).get("asl-lint", {})
        return settings, lambda keys: f"{path} [tool.asl-lint]"
    from .source import LoadError, load_document

    try:
        document = load_document(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    except LoadError as error:
        raise ConfigError(f"{path}: {error.message}") from None
    settings = document.data if document.data is not None else {}

    def where(keys: tuple) -> str:
        span = document.sourcemap.span(tuple(keys), "key")
        return f"{path}:{span.line}:{span.column}" if span else str(path)

    return settings, where


@dataclass(frozen=True)
class _Key:
    attribute: str
    kind: str  # "rules" | "severity" | "level" | "choice" | "globs" | "per-file" | "int" | "bool" | "path"


_KEYS = {
    "select": _Key("select", "rules"), "ignore": _Key("ignore", "rules"),
    "extend-select": _Key("extend_select", "rules"), "severity": _Key("severities", "severity"),
    "fail-on": _Key("fail_on", "level"), "kind": _Key("kind", "choice"), "type": _Key("workflow_type", "choice"),
    "exclude": _Key("exclude", "globs"), "extend-exclude": _Key("extend_exclude", "globs"),
    "per-file-ignores": _Key("per_file_ignores", "per-file"), "jobs": _Key("jobs", "int"),
    "baseline": _Key("baseline", "path"), "respect-gitignore": _Key("respect_gitignore", "bool"),
    "force-exclude": _Key("force_exclude", "bool"), "max-file-size": _Key("max_file_bytes", "int"),
    "allow-outside-references": _Key("allow_outside_references", "bool"),
}


def config_from_file(path: str | os.PathLike, base: Config | None = None) -> Config:
    """`base` with the settings of a configuration file applied; raises ConfigError naming
    the file, the key and what is wrong."""
    settings, where = read_config_file(path)
    _check_schema(settings, where)
    values: dict[str, object] = {}
    for key, value in settings.items():
        spec = _KEYS[key]
        if spec.kind == "rules":
            _check_rules(value, where((key,)), key)
            value = tuple(value)
        elif spec.kind == "severity":
            _check_rules(list(value), where((key,)), key)
            value = {token: Severity.parse(level) for token, level in value.items()}
        elif spec.kind == "per-file":
            for glob, rules in value.items():
                _check_rules(rules, where((key, glob)), f"{key}.{glob}")
            value = {glob: tuple(rules) for glob, rules in value.items()}
        elif spec.kind == "level":
            value = None if value == "never" else Severity.parse(value)
        elif spec.kind == "globs":
            value = tuple(value)
        elif spec.kind == "choice" and key == "type":
            value = value.upper()
        elif spec.kind == "path":
            value = str(Path(path).parent / value)
        if key == "max-file-size":
            value = int(value) * 1024 * 1024
        values[spec.attribute] = value
    config = replace(base or Config(), **values)
    return replace(config, root=str(Path(path).resolve().parent), source=str(path))


def _check_schema(settings: object, where) -> None:
    from jsonschema import Draft202012Validator

    from .schemas import config_schema

    errors = sorted(Draft202012Validator(config_schema()).iter_errors(settings), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        keys = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            extra = [key for key in error.instance if key not in known]
            keys = keys + (extra[0],) if extra else keys
            message = f"unknown key '{extra[0] if extra else '?'}' (known: {', '.join(sorted(known))})"
        else:
            message = error.message
        shown = ".".join(str(key) for key in keys) or "the configuration"
        raise ConfigError(f"{where(keys)}: {shown}: {message}")


def _check_rules(tokens: list, place: str, key: str) -> None:
    for token in tokens:
        if not names_a_rule(token):
            raise ConfigError(f"{place}: {key}: '{token}' names no rule, rule prefix or tag (see --list-rules)")


def option_names() -> list[str]:
    """Every field of Config, for documentation and tests."""
    return [member.name for member in fields(Config)]
