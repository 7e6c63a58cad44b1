"""What the user asked for: which rules run, at what severity, on which files, and when
the run fails; from the command line over a configuration file over the defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Severity
from .files import FileRefused, Trees, inside, read_file
from .limits import MAX_CONFIG_BYTES, MAX_FILE_BYTES
from .model import json_type
from .rules.catalogue import catalogue
from .rules.selectors import names_a_rule, rule_ids

CONFIG_FILES = (".asl-lint.yaml", ".asl-lint.yml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration that cannot be used: the message names the file and the key."""


KINDS = ("asl", "cloudformation", "serverless", "terraform")
WORKFLOW_TYPES = ("STANDARD", "EXPRESS")
JOBS_PER_CORE = 4  # more workers than this per core only compete for it


def _selectors(value: object, what: str) -> tuple[str, ...]:
    """Rule selectors given as a tuple, a list or one comma-separated string."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple, set, frozenset)) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{what} must be a list of rule selectors")
    return tuple(token.strip() for token in value if token.strip())


def _globs(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{what} must be a list of gitwildmatch patterns")
    return tuple(value)


def _level(value: object, what: str) -> Severity:
    if isinstance(value, Severity):
        return value
    if isinstance(value, str):
        try:
            return Severity.parse(value)
        except ValueError:
            pass
    raise ConfigError(f"{what} must be error, warning or info")


@dataclass
class Config:
    """Every setting of a run. Values are checked and normalised when the Config is made
    (a selector string is split at commas, a severity may be its name), so a mistake is a
    ConfigError at once, never a failure in the middle of a run."""

    # The forms a caller may write are in the annotations (a selector string is split at
    # commas, a level may be its name); once made, each holds the normal form: a tuple of
    # selectors, a dict of Severity, a Severity or None.
    select: str | Sequence[str] = ("ALL",)
    ignore: str | Sequence[str] = ()
    extend_select: str | Sequence[str] = ()
    # rule selector (id, name, prefix, tag or ALL) -> severity; the most specific wins
    severities: Mapping[str, Severity | str] = field(default_factory=dict)
    fail_on: Severity | str | None = Severity.ERROR  # None (or "never"): never fail on diagnostics
    kind: str | None = None  # asl | cloudformation | serverless | terraform; None: recognise by content
    workflow_type: str = "STANDARD"  # for definitions whose host does not say (--type)
    max_file_bytes: int = MAX_FILE_BYTES  # larger files are not read (ASL012)
    allow_outside_references: bool = False  # read referenced files outside the linted trees
    reference_roots: tuple[str, ...] | None = None  # those trees; None: from the current directory
    exclude: str | Sequence[str] = ()  # gitwildmatch patterns of paths not to walk into
    extend_exclude: str | Sequence[str] = ()
    per_file_ignores: Mapping[str, str | Sequence[str]] = field(default_factory=dict)  # glob -> rule selectors
    respect_gitignore: bool = True
    force_exclude: bool = False  # exclude files named on the command line too (pre-commit)
    skip_unrecognized: bool = False  # named files whose names say nothing are skipped as walked ones
    with_includers: bool = False  # also check the project's files that include the named files
    # Which pre-commit hook this run is ("definitions" or "templates"): the two split the
    # named definition files so that no finding is reported by both (see api.plan).
    hook: str | None = None
    # Terraform's variables, as `terraform plan` takes them: --var-file FILE (after
    # terraform.tfvars and *.auto.tfvars) and --var NAME=VALUE, each over the ones before.
    var_files: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    stdin_filename: str | None = None  # standard input is linted as if it were this file
    keep_machines: bool | str = False  # keep each machine's data, to draw it (True), or "errors": those with errors
    jobs: int = 0
    baseline: str | None = None  # findings recorded here are not reported
    root: str | None = None  # the directory that globs and the baseline are relative to
    # The directory the run resolves against: where the command line runs, the editor's
    # workspace folder. None: the current directory.
    start: str | None = None
    source: str | None = None  # the configuration file read, if any
    aws_validate: str = "off"  # off | on | required: ask AWS's ValidateStateMachineDefinition too
    paths: tuple[str, ...] = ()  # what to lint when no path is given (the configuration's paths)
    require_machines: bool = False  # a run that checks no state machine fails (exit 1)
    # Files the user named on the command line (a --baseline): read where they are, but
    # not through a symbolic link out of their directory or the trees being linted.
    named_files: tuple[str, ...] = ()
    # The result cache: None is the default (on for the command line, off for the API)
    cache: bool | None = None
    cache_dir: str | None = None  # where it is (--cache-dir, ASL_LINT_CACHE_DIR); None: the project's
    notices: tuple[str, ...] = ()  # settings of the configuration file that were not taken, and why

    def __post_init__(self) -> None:
        self.select = _selectors(self.select, "select")
        self.ignore = _selectors(self.ignore, "ignore")
        self.extend_select = _selectors(self.extend_select, "extend_select")
        if not isinstance(self.severities, dict):
            raise ConfigError("severities must map rule selectors to error, warning or info")
        self.severities = {str(token): _level(level, f"severities[{token!r}]") for token, level in self.severities.items()}
        if isinstance(self.fail_on, str):
            self.fail_on = None if self.fail_on.strip().lower() == "never" else _level(self.fail_on, "fail_on")
        elif self.fail_on is not None and not isinstance(self.fail_on, Severity):
            raise ConfigError("fail_on must be error, warning, info or never")
        if self.kind is not None and self.kind not in KINDS:
            raise ConfigError(f"kind must be one of {', '.join(KINDS)}")
        self.workflow_type = (self.workflow_type or "STANDARD")
        if not isinstance(self.workflow_type, str) or self.workflow_type.upper() not in WORKFLOW_TYPES:
            raise ConfigError("workflow_type must be STANDARD or EXPRESS")
        self.workflow_type = self.workflow_type.upper()
        for name in ("max_file_bytes", "jobs"):
            value = getattr(self, name)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or value < (1 if name == "max_file_bytes" else 0):
                raise ConfigError(f"{name} must be a whole number" + (" above 0" if name == "max_file_bytes" else ""))
            setattr(self, name, value)
        self.exclude = _globs(self.exclude, "exclude")
        self.extend_exclude = _globs(self.extend_exclude, "extend_exclude")
        if not isinstance(self.per_file_ignores, dict):
            raise ConfigError("per_file_ignores must map globs to rule selectors")
        self.per_file_ignores = {str(glob): _selectors(rules, f"per_file_ignores[{glob!r}]")
                                 for glob, rules in self.per_file_ignores.items()}
        if self.baseline is not None:
            self.baseline = os.fspath(self.baseline)
        if self.cache is not None and not isinstance(self.cache, bool):
            raise ConfigError("cache must be true or false")
        if self.cache_dir is not None:
            self.cache_dir = os.fspath(self.cache_dir)
        if isinstance(self.aws_validate, bool):
            self.aws_validate = "on" if self.aws_validate else "off"
        if self.aws_validate not in ("off", "on", "required"):
            raise ConfigError("aws_validate must be off, on or required")
        self.validate()

    def validate(self) -> None:
        """Raise ConfigError for a selector that names no rule, tag or id prefix, or a
        pattern git would never match."""
        tokens = [*self.select, *self.ignore, *self.extend_select, *self.severities]
        tokens += [token for rules in self.per_file_ignores.values() for token in rules]
        for token in tokens:
            if not names_a_rule(token):
                raise ConfigError(f"'{token}' names no rule, rule prefix or tag (see --list-rules)")
        self.exclusion_patterns  # noqa: B018 - compiled now: a bad pattern is a ConfigError at once
        self._per_file  # noqa: B018

    @cached_property
    def exclusion_patterns(self):
        """exclude and extend-exclude, compiled (wildmatch.PatternList)."""
        from .wildmatch import PatternError, PatternList

        try:
            return PatternList.from_lines(self.exclude + self.extend_exclude, strict=True)
        except PatternError as error:
            raise ConfigError(f"exclude: {error}") from None

    @property
    def directory(self) -> str:
        """The directory the run resolves against: `start`, else the current one."""
        return self.start or os.getcwd()

    def effective_jobs(self, requested: int = 0) -> int:
        """Worker processes asked for, at most JOBS_PER_CORE per core (0: decide by work)."""
        jobs = requested or self.jobs
        return min(jobs, JOBS_PER_CORE * (os.cpu_count() or 1)) if jobs else 0

    @cached_property
    def _enabled(self) -> dict[str, bool]:
        result = {}
        chosen_tokens = (*self.select, *self.extend_select)
        for rule in catalogue().values():
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
        for rule in catalogue().values():
            best = -1
            for token, level in self.severities.items():  # later tokens win a tie
                score = _score(token, rule)
                if score >= 0 and score >= best:
                    best, result[rule.id] = score, level
        return result

    def severity_of(self, rule) -> Severity:
        return self._severity.get(rule.id, rule.severity)

    @cached_property
    def _per_file(self) -> list[tuple[object, frozenset[str]]]:
        """Each per-file-ignores glob, compiled, with the rule ids it turns off."""
        from .wildmatch import PatternError, PatternList

        compiled = []
        for glob, rules in self.per_file_ignores.items():
            try:
                patterns = PatternList.from_lines([glob], strict=True)
            except PatternError as error:
                raise ConfigError(f"per-file-ignores: {error}") from None
            compiled.append((patterns, frozenset(rule_ids(rules))))
        return compiled

    def ignored_in(self, rule_id: str, file: str) -> bool:
        """Whether per-file-ignores turn this rule off for this file."""
        if not self.per_file_ignores:
            return False
        parts = tuple(part for part in relative_to(file, self.root).split("/") if part not in ("", "."))
        return any(rule_id in ids and patterns.excludes(parts, False) for patterns, ids in self._per_file)

    def merged(self, **overrides: object) -> Config:
        """A copy with the given fields replaced (None leaves a field as it is)."""
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})


def relative_to(file: str, root: str | None) -> str:
    """`file` as a POSIX path relative to `root` (or to the current directory)."""
    try:
        return Path(os.path.relpath(os.path.abspath(file), os.path.abspath(root or "."))).as_posix()
    except ValueError:  # another drive on Windows
        return Path(file).as_posix()


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


def shown_path(path: str | os.PathLike) -> str:
    """A path as a message shows it: relative to the current directory when below it."""
    relative = os.path.relpath(os.path.abspath(path))
    return Path(relative if not relative.startswith("..") else os.path.abspath(path)).as_posix()


def find_config_file(start: str | os.PathLike = ".", trees: Trees | None = None) -> Path | None:
    """The first .asl-lint.yaml, .asl-lint.yml or pyproject.toml with [tool.asl-lint] found
    in `start` or a directory above it. A pyproject.toml that is not asl-lint's (no such
    table, or not even TOML) is passed over, as is one that cannot be read."""
    directory = Path(start).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not os.path.lexists(candidate) or os.path.isdir(candidate):
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate, trees):
                return candidate
    return None


def _config_text(path: Path, trees: Trees | None) -> str:
    """A configuration file's text, read within the file policy: a regular file of at most
    MAX_CONFIG_BYTES, not through a symbolic link that leaves the trees being linted (or
    the directory the file is in). Nothing of it is ever quoted."""
    trees = (trees or Trees.of()).with_directory_of(str(path))
    try:
        return read_file(str(path), MAX_CONFIG_BYTES, trees)
    except FileRefused as refused:
        reason = refused.message.removeprefix("cannot read the file: ")
        if refused.rule == "ASL012":
            reason = f"it is larger than {MAX_CONFIG_BYTES:,} bytes"
        elif refused.rule == "ASL013":
            reason = "it is a symbolic link that leads out of the directory tree being linted"
        raise ConfigError(f"{shown_path(path)}: not read: {reason}") from None


def _has_tool_table(path: Path, trees: Trees | None = None) -> bool:
    try:
        tool = _read_toml(path, trees).get("tool")
    except ConfigError:
        return False
    return isinstance(tool, dict) and "asl-lint" in tool


def _read_toml(path: Path, trees: Trees | None = None) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    text = _config_text(path, trees)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{shown_path(path)}: not valid TOML: {str(error)[:120]}") from None
    except RecursionError:
        raise ConfigError(f"{shown_path(path)}: values nested too deeply to read") from None


def read_config_file(path: str | os.PathLike, trees: Trees | None = None) -> tuple[dict, object]:
    """The settings in a configuration file and a function from a key path to where it
    is written ('file:line:col'); raises ConfigError. An empty file is no settings."""
    path = Path(path)
    shown = shown_path(path)
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        document = _read_toml(path, trees)
        tool = document.get("tool")
        settings = tool.get("asl-lint", {}) if isinstance(tool, dict) else {}
        text = _config_text(path, trees)
        if not isinstance(settings, dict):
            raise ConfigError(f"{_toml_where(shown, text, ())}: [tool.asl-lint] must be a table, not"
                              f" {json_type(settings)}")
        return settings, lambda keys, anchor="key": _toml_where(shown, text, tuple(keys))
    from .source import LoadError, load_document

    text = _config_text(path, trees)
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return {}, lambda keys, anchor="key": shown
    try:
        document = load_document(text, str(path), "yaml")
    except LoadError as error:
        where = shown
        if error.offset is not None:
            from .source import LineIndex

            line, column = LineIndex(text).position(error.offset)
            where = f"{shown}:{line}:{column}"
        raise ConfigError(f"{where}: not valid YAML: {error.message[:120]}") from None
    settings = document.data if document.data is not None else {}

    def where(keys: tuple, anchor: str = "key") -> str:
        span = document.sourcemap.span(tuple(keys), anchor)
        return f"{shown}:{span.line}:{span.column}" if span else shown

    if not isinstance(settings, dict):
        raise ConfigError(f"{where(())}: the configuration must be a mapping of settings, not {json_type(settings)}")
    return settings, where


def _toml_where(shown: str, text: str, keys: tuple) -> str:
    """'file:line:col' of a key of [tool.asl-lint] (or of a glob in its per-file-ignores),
    found in the text: tomllib gives the values but not where they are."""
    import re

    table = None
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$")
    found = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = header.match(line)
        if match:
            table = match.group(1).replace('"', "").replace("'", "").replace(" ", "")
            if table == "tool.asl-lint" and not keys:
                return f"{shown}:{number}:{line.index('[') + 1}"
            continue
        if table is None or not table.startswith("tool.asl-lint"):
            continue
        nested = table.split(".")[2:]  # [tool.asl-lint.per-file-ignores]
        wanted = [str(key) for key in keys[len(nested):]] if keys[:len(nested)] == tuple(nested) else None
        if not wanted:
            continue
        key = re.match(r'^\s*(?:"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_\-]+))\s*=', line)
        name = key and next(group for group in key.groups() if group is not None)
        if name == wanted[0]:
            found = (number, len(line) - len(line.lstrip()) + 1)
            if len(wanted) > 1:  # a glob of an inline table: { "legacy/*.json" = [...] }
                inner = max(line.find(f'"{wanted[1]}"', key.end()), line.find(f"'{wanted[1]}'", key.end()))
                if inner >= 0:
                    found = (number, inner + 1)
            break
    return f"{shown}:{found[0]}:{found[1]}" if found else f"{shown} [tool.asl-lint]"


class _Key(NamedTuple):
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
    "aws-validate": _Key("aws_validate", "aws"),
    "paths": _Key("paths", "paths"), "require-machines": _Key("require_machines", "bool"),
    "cache": _Key("cache", "bool"), "cache-dir": _Key("cache_dir", "path"),
}


def config_from_file(path: str | os.PathLike, base: Config | None = None, trees: Trees | None = None) -> Config:
    """`base` with the settings of a configuration file applied; raises ConfigError naming
    the file, the line and column, and the key, never quoting a value."""
    settings, where = read_config_file(path, trees)
    _check_schema(settings, where)
    values: dict[str, object] = {}
    for key, value in settings.items():
        spec = _KEYS[key]
        if spec.kind == "rules":
            _check_rules(value, where, (key,), key)
            value = tuple(value)
        elif spec.kind == "severity":
            _check_rules(list(value), where, (key,), key, keys_of=True)
            value = {token: Severity.parse(level) for token, level in value.items()}
        elif spec.kind == "per-file":
            for glob, rules in value.items():
                _check_globs([glob], where, (key, glob), key, keys_of=True)
                _check_rules(rules, where, (key, glob), f"{key}.{glob}")
            value = {glob: tuple(rules) for glob, rules in value.items()}
        elif spec.kind == "level":
            value = None if value == "never" else Severity.parse(value)
        elif spec.kind == "globs":
            _check_globs(value, where, (key,), key)
            value = tuple(value)
        elif spec.kind == "choice" and key == "type":
            value = value.upper()
        elif spec.kind == "path":
            value = str(Path(path).parent / value)
        elif spec.kind == "int":
            value = int(value)  # 2.0 is an integer to JSON Schema
        elif spec.kind == "paths":  # relative to the configuration file, shown relative to here
            value = tuple(shown_path(Path(path).parent / item) for item in value)
        elif spec.kind == "aws":
            value = {True: "on", False: "off"}.get(value, value)
        if key == "max-file-size":
            value = int(value) * 1024 * 1024
        values[spec.attribute] = value
    notices = _untrusted_settings(path, values, where, trees)
    config = replace(base or Config(), **values)
    return replace(config, root=str(Path(path).resolve().parent), source=str(path),
                   notices=config.notices + notices)


def setting_sources(path: str | os.PathLike, trees: Trees | None = None) -> dict[str, str]:
    """Config attribute -> where a configuration file sets it ('file:line:col'), for
    --show-settings."""
    settings, where = read_config_file(path, trees)
    return {_KEYS[key].attribute: where((key,)) for key in settings if key in _KEYS}


def setting_names() -> dict[str, str]:
    """Config attribute -> the configuration file's name for it."""
    return {spec.attribute: key for key, spec in _KEYS.items()}


def _untrusted_settings(path: str | os.PathLike, values: dict, where, trees: Trees | None) -> tuple[str, ...]:
    """The settings a project's own configuration may not make, taken out of `values`: a
    checkout under review (a pull request) must not let itself read files outside it or
    put the result cache (which asl-lint writes and prunes) outside it. A configuration
    outside the project (--config ~/asl-lint.yaml) may."""
    roots = (trees or Trees.of()).roots
    if not inside(str(path), roots):
        return ()
    notices = []
    if values.get("allow_outside_references"):
        del values["allow_outside_references"]
        notices.append(f"{where(('allow-outside-references',))}: allow-outside-references is not taken from the"
                       " project's own configuration: give --allow-outside-references on the command line")
    if values.get("cache_dir") is not None and not inside(values["cache_dir"], roots):
        del values["cache_dir"]
        notices.append(f"{where(('cache-dir',))}: cache-dir leads out of the project: not used (the project's own"
                       " configuration keeps the cache inside it; --cache-dir or ASL_LINT_CACHE_DIR may put it"
                       " elsewhere)")
    return tuple(notices)


def _check_schema(settings: object, where) -> None:
    from .schemas import config_schema, fast_config_check

    if fast_config_check(settings):
        return  # valid: jsonschema, for the words of an error, is imported only for a mistake
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(config_schema()).iter_errors(settings), key=lambda e: list(e.path))
    if not errors:
        return
    error = errors[0]
    keys = tuple(error.absolute_path)
    anchor = "value" if keys and isinstance(keys[-1], int) else "key"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in known]
        keys = keys + (extra[0],) if extra else keys
        message = f"unknown key '{_quoted_key(extra[0]) if extra else '?'}' (known: {', '.join(sorted(known))})"
        anchor = "key"
    else:
        message = _schema_message(error)
    shown = ".".join(_quoted_key(str(key)) for key in keys) or "the configuration"
    raise ConfigError(f"{where(keys, anchor)}: {shown}: {message}")


def _quoted_key(key: str) -> str:
    """A key of the user's file as an error shows it: short, on one line."""
    from .diagnostics import displayable

    return displayable(key if len(key) <= 40 else key[:40] + "...")


def _schema_message(error) -> str:
    """What is wrong with a value, in words that never quote it (a configuration file may
    be anything, a secret included): its type and what was expected."""
    schema = error.schema
    kind = json_type(error.instance)
    if error.validator == "type":
        expected = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        names = {"string": "a string", "integer": "a whole number", "number": "a number", "boolean": "true or false",
                 "array": "a list", "object": "a mapping", "null": "nothing"}
        return f"must be {' or '.join(names.get(t, t) for t in expected)}, not {kind}"
    if error.validator == "enum":
        return f"must be one of {', '.join(str(choice) for choice in schema['enum'])}"
    if error.validator == "minimum":
        return f"must be at least {schema['minimum']}"
    if error.validator == "maximum":
        return f"must be at most {schema['maximum']:,}"
    if error.validator == "minLength":
        return "must not be empty"
    return f"{kind} is not a valid value here"


def _check_rules(tokens: list, where, keys: tuple, key: str, keys_of: bool = False) -> None:
    for index, token in enumerate(tokens):
        if not names_a_rule(token):
            place = where((*keys, token), "key") if keys_of else where((*keys, index), "value")
            raise ConfigError(f"{place}: {_quoted_key(key)}: '{_quoted_key(token)}' names no rule, rule prefix or tag"
                              " (see --list-rules)")


def _check_globs(globs: list, where, keys: tuple, key: str, keys_of: bool = False) -> None:
    from .wildmatch import PatternError, PatternList

    for index, glob in enumerate(globs):
        try:
            PatternList.from_lines([glob], strict=True)
        except PatternError as error:
            place = where((*keys,), "key") if keys_of else where((*keys, index), "value")
            raise ConfigError(f"{place}: {_quoted_key(key)}: {str(error)[:200]}") from None


def option_names() -> list[str]:
    """Every field of Config, for documentation and tests."""
    return [member.name for member in fields(Config)]
