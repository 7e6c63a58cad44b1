"""State machines in CloudFormation, SAM and synthesized CDK templates."""

from __future__ import annotations

from ..context import Definition
from ..limits import MAX_DEFINITION_CHARACTERS
from ..source import LoadError, PrefixedSourceMap, load_document
from ..source.sourcemap import offset_map
from .base import Extraction, Host, Note, built_too_large, shape_problem, too_large_message
from .embedded import EmbeddedSourceMap, Piece
from .placeholders import is_intrinsic, placeholder_paths

STEP_FUNCTIONS = "AWS::StepFunctions::StateMachine"
SAM = "AWS::Serverless::StateMachine"
TYPES = (STEP_FUNCTIONS, SAM)


def state_machine_resources(data: object) -> list[tuple[str, dict]]:
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return []
    return [(name, resource) for name, resource in resources.items()
            if isinstance(resource, dict) and resource.get("Type") in TYPES]


def looks_like_template(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("Resources"), dict)


def extract(host: Host) -> Extraction:
    return extract_template(host, ())


def extract_template(host: Host, prefix: tuple) -> Extraction:
    """The state machines of the template at `prefix` in the host document (the root of a
    template; `resources` of a serverless file)."""
    from ..model import value_at

    result = Extraction("cloudformation")
    for name, resource in state_machine_resources(value_at(host.document.data, prefix)):
        properties = resource.get("Properties")
        base = prefix + ("Resources", name, "Properties")
        if not isinstance(properties, dict):
            continue
        workflow = properties.get("Type" if resource["Type"] == SAM else "StateMachineType")
        workflow_type = workflow.upper() if isinstance(workflow, str) else None
        substitutions = properties.get("DefinitionSubstitutions")
        substitutions = substitutions if isinstance(substitutions, dict) else {}
        found = _definition(host, name, resource["Type"], properties, base, result.notes)
        if found is None:
            continue
        found.machine, found.workflow_type = name, workflow_type
        ignore = _metadata_ignore(resource)
        if ignore:
            found.ignore = ignore
            found.ignore_at = (host.file, host.span(prefix + ("Resources", name, "Metadata", "asl-lint", "ignore")))
        if found.substitutions is not None:
            found.substitutions = substitutions
            result.notes.extend(_unused_substitutions(host, name, found, substitutions, base))
        result.definitions.append(found)
    return result


def _metadata_ignore(resource: dict) -> tuple[str, ...]:
    """Metadata: {asl-lint: {ignore: [ASL406]}}, as cfn-lint reads its own Metadata."""
    metadata = resource.get("Metadata")
    settings = metadata.get("asl-lint") if isinstance(metadata, dict) else None
    ignore = settings.get("ignore") if isinstance(settings, dict) else None
    return tuple(token for token in ignore if isinstance(token, str)) if isinstance(ignore, list) else ()


def _definition(host: Host, name: str, kind: str, properties: dict, base: tuple,
                notes: list[Note]) -> Definition | None:
    document = host.document
    if "Definition" in properties and isinstance(properties["Definition"], dict):
        path = base + ("Definition",)
        data = properties["Definition"]
        too_large = built_too_large(data, document, path)
        if too_large is not None:
            notes.append(Note("ASL504", too_large, host.file, host.span(path, "key"), name))
            return None
        return Definition(data, host.file, PrefixedSourceMap(document.sourcemap, path),
                          placeholders=placeholder_paths(data), duplicates=_duplicates_below(document, path),
                          substitutions={})
    if kind == STEP_FUNCTIONS and "DefinitionString" in properties:
        return definition_string(host, name, properties["DefinitionString"], base + ("DefinitionString",), notes)
    for key in ("DefinitionUri", "DefinitionS3Location"):
        if key in properties:
            return _referenced(host, name, key, properties[key], base + (key,), notes)
    return None


class _Pieces:
    """The text of a DefinitionString, built from the strings of the template, each piece
    remembering where it came from."""

    def __init__(self, host: Host) -> None:
        self.host, self.pieces, self.parts, self.length, self.uses_fn_sub = host, [], [], 0, False

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, piece_text: str, piece_path: tuple, exact: bool = True) -> None:
        if self.length + len(piece_text) > MAX_DEFINITION_CHARACTERS:
            raise _TooLarge  # before building it: a few aliases can repeat a large string a thousand times
        sourcemap = self.host.document.sourcemap
        mapping = (lambda: offset_map(sourcemap, piece_path, piece_text)) if exact else None
        self.pieces.append(Piece(self.length, self.length + len(piece_text), piece_path, mapping))
        self.parts.append(piece_text)
        self.length += len(piece_text)

    def string(self, value: object, path: tuple, depth: int = 0) -> str | None:
        """Add the text `value` makes: a string, or an intrinsic whose result is one
        (Fn::Sub, Fn::Join, Fn::Select, Fn::If, nested in any way); any other intrinsic is a
        placeholder. Returns why the text cannot be built, or None."""
        if isinstance(value, str):
            self.add(value, path)
            return None
        function, argument = next(iter(value.items())) if is_intrinsic(value) else (None, None)  # type: ignore[union-attr]
        if depth > _MAX_STRING_NESTING:
            return "its intrinsic functions nest too deeply"
        if function == "Fn::Sub":
            sub_path = path + ("Fn::Sub",)
            if isinstance(argument, list) and argument and isinstance(argument[0], str):
                argument, sub_path = argument[0], sub_path + (0,)
            if not isinstance(argument, str):
                return "its Fn::Sub template is not a string"
            self.add(argument, sub_path)
            self.uses_fn_sub = True  # its ${...} come from parameters, resources and its own map
            return None
        if function == "Fn::Join":
            if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)
                    and isinstance(argument[1], list)):
                return "its Fn::Join is not [delimiter, [parts]]"
            delimiter, parts = argument
            for index, part in enumerate(parts):
                if index and delimiter:
                    self.add(delimiter, path + ("Fn::Join", 0))
                why = self.string(part, path + ("Fn::Join", 1, index), depth + 1)
                if why:
                    return why
            return None
        if function == "Fn::Select" and isinstance(argument, list) and len(argument) == 2:
            index, items = argument
            index = int(index) if isinstance(index, str) and index.isdigit() else index
            if isinstance(index, int) and isinstance(items, list) and 0 <= index < len(items):
                return self.string(items[index], path + ("Fn::Select", 1, index), depth + 1)
        if function == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
            return self.string(argument[1], path + ("Fn::If", 1), depth + 1)  # the first branch is checked
        self.add(_intrinsic_token(value), path, exact=False)
        return None


class _TooLarge(Exception):
    """The text built so far is past Step Functions' limit on a definition."""


_MAX_STRING_NESTING = 10
_STRING_FUNCTIONS = ("Fn::Sub", "Fn::Join", "Fn::Select", "Fn::If")


def definition_string(host: Host, name: str, value: object, path: tuple, notes: list[Note]) -> Definition | None:
    built = _Pieces(host)
    if not isinstance(value, str) and not (is_intrinsic(value) and next(iter(value)) in _STRING_FUNCTIONS):  # type: ignore[arg-type]
        return _not_checkable(host, name, path, notes, "it is built with an intrinsic function asl-lint cannot resolve")
    try:
        why = built.string(value, path)
    except _TooLarge:
        notes.append(Note("ASL504", f"DefinitionString: {too_large_message()}", host.file, host.span(path, "key"), name))
        return None
    if why:
        return _not_checkable(host, name, path, notes, why)
    text, pieces = built.text, built.pieces
    substitutions: dict | None = None if built.uses_fn_sub else {}
    try:
        inner = load_document(text, "definition.json", "json")
    except LoadError as error:
        embedded = EmbeddedSourceMap(None, pieces, host.document)  # type: ignore[arg-type]
        offset = error.offset or 0
        rule = "ASL006" if error.kind == "too-complex" else "ASL001"
        notes.append(Note(rule, f"DefinitionString: {error.message}", host.file,
                          embedded.span_of_offsets(offset, offset), name))
        return None
    sourcemap = EmbeddedSourceMap(inner.sourcemap, pieces, host.document)
    placeholders = placeholder_paths(inner.data) | inner.placeholders
    return Definition(inner.data, host.file, sourcemap, placeholders=placeholders,
                      duplicates=inner.duplicates, substitutions=substitutions)


def _intrinsic_token(part: object) -> str:
    """Text standing for an intrinsic inside the joined JSON: a placeholder, never a bad value."""
    if is_intrinsic(part):
        (function, argument), = part.items()  # type: ignore[union-attr]
        if isinstance(argument, list):
            argument = ".".join(str(item) for item in argument if isinstance(item, (str, int)))
        label = f"{function}:{argument}" if isinstance(argument, str) else function
    else:
        label = "value"
    return "${" + "".join(ch for ch in label if ch not in "{}\"\\ \t\r\n") + "}"


def _referenced(host: Host, name: str, key: str, value: object, path: tuple, notes: list[Note]) -> Definition | None:
    if isinstance(value, str) and not value.startswith("s3://"):
        loaded = host.load_reference(value, path, name, notes, key)
        if loaded is None:
            return None
        file, document = loaded
        problem = shape_problem(document.data)
        if problem is not None:
            notes.append(Note("ASL014", f"{key} '{value}' {problem}", file, document.sourcemap.span(()), name))
            return None
        too_large = built_too_large(document.data, document, ())
        if too_large is not None:
            notes.append(Note("ASL504", too_large, file, document.sourcemap.span((), "key"), name))
            return None
        placeholders = placeholder_paths(document.data) | document.placeholders
        return Definition(document.data, file, document.sourcemap, placeholders=placeholders,
                          duplicates=document.duplicates, substitutions={}, template=host.file)
    return _not_checkable(host, name, path, notes, f"its {key} is in S3, not in a local file")


def _not_checkable(host: Host, name: str, path: tuple, notes: list[Note], why: str) -> None:
    notes.append(Note("ASL008", f"state machine '{name}' cannot be checked here: {why}", host.file,
                      host.span(path, "key"), name))
    return None


def _duplicates_below(document, prefix: tuple) -> list:
    from ..source import DuplicateKey

    size = len(prefix)
    return [DuplicateKey(d.object_path[size:], d.key, d.first_offset, d.offset)
            for d in document.duplicates if d.object_path[:size] == prefix]


def _unused_substitutions(host: Host, name: str, definition: Definition, substitutions: dict,
                          base: tuple) -> list[Note]:
    from .placeholders import substitution_uses

    used = substitution_uses(definition.data)
    unused = [key for key in substitutions if key not in used]
    # Unsafe: a key may be used where asl-lint cannot see (a ${} built by an intrinsic).
    # When no key is used, the whole DefinitionSubstitutions goes: an empty one is invalid.
    whole = len(unused) == len(substitutions)
    return [Note("ASL010", f"DefinitionSubstitutions key '{key}' is not used by the definition of '{name}'",
                 host.file, host.span(base + ("DefinitionSubstitutions", key), "key"), name,
                 _removal(host, base + (("DefinitionSubstitutions",) if whole else ("DefinitionSubstitutions", key)),
                          "Remove DefinitionSubstitutions" if whole else f"Remove the substitution '{key}'"))
            for key in unused]


def _removal(host: Host, path: tuple, title: str):
    from ..edits import removal_fix

    location = host.document.sourcemap.locations.get(path)
    if location is None or location.key_start is None:
        return None
    return removal_fix(host.document.text, location.key_start, location.value_end, title, safe=False)


__all__ = ["extract", "extract_template", "looks_like_template", "state_machine_resources"]
