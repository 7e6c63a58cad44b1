"""YAML to plain data plus a source map, through PyYAML's safe composer.

The node graph is walked by hand (rather than constructed by PyYAML) so every member keeps
its position, duplicate keys are seen, CloudFormation short tags become their long form,
timestamps stay strings as in JSON, and alias expansion is bounded: a "billion laughs"
document is refused after a fixed number of nodes instead of filling memory.
"""

from __future__ import annotations

import math
import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..limits import MAX_NUMBER_LENGTH, MAX_STRING_LENGTH, MAX_VALUE_DEPTH, MAX_YAML_CHARACTERS, MAX_YAML_NODES
from .errors import (DuplicateKey, LoadError, alias_bomb_message, number_too_long_message,
                     string_too_long_message, too_deep_message)
from .positions import LineIndex
from .sourcemap import Location, SourceMap

_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}
# CloudFormation short forms: !Ref x -> {"Ref": x}, !Sub x -> {"Fn::Sub": x}, ...
_CFN_PLAIN_NAMES = {"Ref", "Condition"}

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Yaml12Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Plain scalars resolved by the YAML 1.2 core schema, as js-yaml (serverless) does.

    YAML 1.1 turns `Next: Yes` into a boolean and `0777` into 511; a state named Yes or
    No is common, so only true/false are booleans here.
    """

    yaml_implicit_resolvers: dict = {}


for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+.0123456789"),
):
    _Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first) + [""] * (_tag.endswith("null")))
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


class YamlReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.sourcemap = SourceMap(LineIndex(text))
        self.duplicates: list[DuplicateKey] = []
        self.strings: list[tuple[int, int]] = []  # scalars that mention asl-lint (not comments)
        self._active: set[int] = set()

    def read(self) -> object:
        """The single document of the text (a stream of several is an error here)."""
        documents = self.read_all()
        if len(documents) > 1:
            raise LoadError("expected a single document in the stream", self._offsets(self._nodes[1])[0])
        data, self.sourcemap, self.duplicates = documents[0]
        return data

    def read_all(self) -> list[tuple[object, SourceMap, list[DuplicateKey]]]:
        """(data, source map, duplicate keys) of each document of a stream (`---`)."""
        index = self.sourcemap.index
        try:
            loader = _Yaml12Loader(self.text)
            try:
                nodes = []
                while loader.check_node():
                    node = loader.get_node()
                    if node is not None:
                        nodes.append(node)
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or error.context or "invalid YAML"
            if problem == _LIBYAML_TOO_DEEP:  # libyaml's own cap, far above ours
                raise LoadError(too_deep_message(), self._offset(mark), "too-complex") from None
            raise LoadError(problem, self._offset(mark)) from None
        except yaml.YAMLError as error:
            raise LoadError(str(error).splitlines()[0], None) from None
        except UnicodeError as error:
            raise LoadError(f"the text cannot be read as YAML: {error.reason}", None) from None
        except RecursionError:  # PyYAML's pure-Python composer, where libyaml is missing
            raise LoadError(too_deep_message(), None, "too-complex") from None
        if not nodes:
            raise LoadError("the file is empty: expected a mapping", 0)
        self._nodes = nodes
        documents = []
        for node in nodes:
            size, characters = _expanded_size(node, {}, set())
            if size > MAX_YAML_NODES or characters > MAX_YAML_CHARACTERS:
                raise LoadError(alias_bomb_message(size <= MAX_YAML_NODES), self._offsets(node)[0], "too-complex")
            self.sourcemap, self.duplicates = SourceMap(index), []
            documents.append((self._build(node, (), 0, None), self.sourcemap, self.duplicates))
        return documents

    def _offset(self, mark: yaml.Mark | None) -> int | None:
        if mark is None:
            return None
        return self.sourcemap.index.line_start(mark.line + 1) + mark.column

    def _offsets(self, node: Node) -> tuple[int, int]:
        return self._offset(node.start_mark) or 0, self._offset(node.end_mark) or 0

    def _build(self, node: Node, path: tuple, depth: int, key: Node | None) -> object:
        if depth >= MAX_VALUE_DEPTH:
            raise LoadError(too_deep_message(), self._offsets(node)[0], "too-complex")
        if id(node) in self._active:
            raise LoadError("YAML alias refers to itself", self._offsets(node)[0], "too-complex")
        start, end = self._offsets(node)
        key_start, key_end = self._offsets(key) if key is not None else (None, None)
        location = Location(start, end, key_start, key_end)
        self.sourcemap.add(path, location)
        function = _cloudformation_key(node.tag)
        inner = path + (function,) if function else path  # !Sub x is {"Fn::Sub": x}: x has a path too
        if function:
            self.sourcemap.add(inner, Location(start, end))
        self._active.add(id(node))
        try:
            value = self._value(node, inner, depth)
        finally:
            self._active.discard(id(node))
        if function == "Fn::GetAtt" and isinstance(value, str):
            resource, _, attribute = value.partition(".")
            return {function: [resource, attribute]}
        return {function: value} if function else value

    def _value(self, node: Node, path: tuple, depth: int) -> object:
        if isinstance(node, ScalarNode):
            if "asl-lint" in node.value:
                self.strings.append(self._offsets(node))
            if len(node.value) > MAX_STRING_LENGTH:
                raise LoadError(string_too_long_message(len(node.value)), self._offsets(node)[0], "too-complex")
            if node.tag in _PLAIN_TAGS:
                if node.tag != "tag:yaml.org,2002:null" and len(node.value) > MAX_NUMBER_LENGTH:
                    raise LoadError(number_too_long_message(len(node.value)), self._offsets(node)[0],
                                    "too-complex")
                return _plain_scalar(node.tag, node.value)
            return node.value  # strings, timestamps (kept as text, as JSON has them), tags
        if isinstance(node, SequenceNode):
            return [self._build(item, path + (i,), depth + 1, None) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        raise LoadError(f"unsupported YAML node {node.tag}", self._offsets(node)[0])

    def _mapping(self, node: MappingNode, path: tuple, depth: int) -> dict:
        result: dict = {}
        seen: dict[str, int] = {}
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merge_sources(value_node))
                continue
            key = self._key(key_node)
            offset = self._offsets(key_node)[0]
            if key in seen:
                self.duplicates.append(DuplicateKey(path, key, seen[key], offset))
            seen[key] = offset
            result[key] = self._build(value_node, path + (key,), depth + 1, key_node)
        # Merge keys (<<) fill in only what the mapping does not say itself.
        for key_node, value_node in merged:
            key = self._key(key_node)
            if key not in result:
                result[key] = self._build(value_node, path + (key,), depth + 1, key_node)
        return result

    def _merge_sources(self, value: Node) -> list[tuple[Node, Node]]:
        sources = value.value if isinstance(value, SequenceNode) else [value]
        pairs: list[tuple[Node, Node]] = []
        for source in sources:
            if not isinstance(source, MappingNode):
                raise LoadError("a merge key (<<) needs a mapping or a list of mappings",
                                self._offsets(source)[0])
            for key_node, value_node in source.value:
                if key_node.tag == _MERGE_TAG:
                    pairs.extend(self._merge_sources(value_node))
                else:
                    pairs.append((key_node, value_node))
        return pairs

    def _key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise LoadError("a mapping key must be a plain value, not a list or mapping",
                            self._offsets(node)[0])
        if "asl-lint" in node.value:
            self.strings.append(self._offsets(node))
        return node.value  # keys stay as written: `200:` and `true:` name things


def _plain_scalar(tag: str, text: str) -> object:
    """A plain scalar already matched by a YAML 1.2 core resolver (or tagged explicitly)."""
    kind = tag.rsplit(":", 1)[-1]
    try:
        if kind == "bool":
            return text.lower() == "true"
        if kind == "null":
            return None
        if kind == "int":
            sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
            base = 8 if digits.startswith("0o") else 16 if digits.startswith("0x") else 10
            return sign * int(digits[2:] if base != 10 else digits, base)
        lowered = text.lower()
        if lowered.endswith((".inf", "inf")) and "inf" in lowered:
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered.endswith("nan"):
            return math.nan
        return float(text)
    except ValueError:
        return text  # an explicit !!int tag on text that is no number: keep the text


def _expanded_size(node: Node, sizes: dict[int, tuple[int, int]], active: set[int]) -> tuple[int, int]:
    """How many values `node` becomes once every alias is expanded, and how many
    characters of text they hold (memoised per node, so linear in the text)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in active:
        return 0, 0  # a self-referencing alias; the walk reports it with its position
    if len(active) > MAX_VALUE_DEPTH:
        return 1, 0  # too deep: the walk that follows reports it with its position
    active.add(id(node))
    size, characters = 1, 0
    if isinstance(node, ScalarNode):
        characters = len(node.value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            inner, text = _expanded_size(item, sizes, active)
            size, characters = size + inner, characters + text
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            for part in (key, value):
                inner, text = _expanded_size(part, sizes, active)
                size, characters = size + inner, characters + text
    active.discard(id(node))
    sizes[id(node)] = (size, characters)
    return size, characters


def _cloudformation_key(tag: str | None) -> str | None:
    """The long form of a CloudFormation short tag: !Ref -> Ref, !Sub -> Fn::Sub."""
    if not tag or not tag.startswith("!") or tag.startswith("!!"):
        return None
    name = tag[1:]
    return name if name in _CFN_PLAIN_NAMES else f"Fn::{name}"
