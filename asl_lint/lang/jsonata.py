"""JSONata expressions (`{% ... %}`), parsed with the jsonata-python library.

Only the parser is used, never the evaluator: asl-lint needs the syntax errors (with their
position) and, from the syntax tree, which variables, `$states` fields and functions an
expression uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..limits import MAX_JSONATA_DEPTH, MAX_JSONATA_LENGTH, keep_recursion_limit

# Functions Step Functions adds to JSONata: name -> (minimum, maximum) argument counts.
STEP_FUNCTIONS_FUNCTIONS = {"partition": (2, 2), "range": (2, 3), "hash": (2, 2), "random": (0, 1),
                            "uuid": (0, 0), "parse": (1, 1)}
HASH_ALGORITHMS = ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512")


@dataclass
class Usage:
    """What one expression refers to. Offsets are into the expression's text."""

    error: tuple[str, int] | None = None  # (message, offset) when it does not parse
    beyond_limit: str | None = None  # why it was not parsed (a limit): nothing is known of it
    variables: list[tuple[str, int]] = field(default_factory=list)  # free $name uses
    states_fields: list[tuple[str, int]] = field(default_factory=list)  # $states.<field>
    calls: list[tuple[str, int, list]] = field(default_factory=list)  # ($function, offset, argument nodes)
    root_reference: int | None = None  # offset of a top-level `$`, `$$` or bare field name


def expression_of(value: str) -> tuple[str, int] | None:
    """The text inside `{% ... %}` and its offset in the string, if it is an expression."""
    if value.startswith("{%") and value.endswith("%}") and len(value) >= 4:
        return value[2:-2], 2
    return None


_TOO_DEEP = f"JSONata expression nested more than {MAX_JSONATA_DEPTH} levels deep: too deep to check (asl-lint's limit)"


def _jsonata():  # the library raises the process's recursion limit when imported
    return keep_recursion_limit(lambda: __import__("jsonata"))


# A `${Name}` inside an expression is a template's placeholder (SAM DefinitionSubstitutions,
# Terraform templatefile, serverless variables), replaced before AWS sees the expression:
# it stands for a value of unknown type. `${` is no JSONata, so nothing else is taken.
_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")
_PLACEHOLDER_VARIABLE = "\u2060"  # a name no expression writes; keeps every offset


def _without_placeholders(expression: str) -> str:
    """Each `${...}` as a variable of the same length ($ and invisible joiners): a value of
    any type where a value goes, so `{% $millis() + ${Timeout} %}` parses as it will."""
    return _PLACEHOLDER.sub(lambda match: "$" + _PLACEHOLDER_VARIABLE * (len(match.group()) - 1), expression)


@lru_cache(maxsize=4096)
def analyse(expression: str) -> Usage:
    if "${" in expression:
        expression = _without_placeholders(expression)
    if len(expression) > MAX_JSONATA_LENGTH:
        return Usage(beyond_limit=f"JSONata expression of {len(expression):,} characters: too long to check"
                                  f" (asl-lint's limit is {MAX_JSONATA_LENGTH:,})")
    usage = _path_usage(expression)
    if usage is not None:
        return usage
    if nesting(expression) > MAX_JSONATA_DEPTH:
        return Usage(beyond_limit=_TOO_DEEP)
    return _parsed_usage(expression)


def _parsed_usage(expression: str) -> Usage:
    jsonata = _jsonata()
    from jsonata.jexception import JException

    try:
        ast = jsonata.Jsonata(expression).ast
    except JException as error:
        location = getattr(error, "location", 0) or 0
        return Usage(error=(_error_message(error), min(max(location - 1, 0), len(expression))))
    except RecursionError:  # deeper than nesting() estimates: still a limit, not a mistake
        return Usage(beyond_limit=_TOO_DEEP)
    except (ValueError, TypeError, IndexError, KeyError) as error:
        return Usage(error=(f"cannot be parsed ({type(error).__name__})", 0))
    usage = Usage()
    bound: set[str] = set()
    nodes = _nodes(ast)
    _collect_bindings(nodes, bound)
    _walk(nodes, usage, bound, expression)
    usage.root_reference = _root_reference(ast, expression)
    return usage


# `$name.field.field`, as most expressions in deployed definitions are (two thirds of the
# corpus's): what it uses is read off the text, without the parser (a tenth of a
# millisecond each, and the library's import, 10 to 20 ms, when no other expression needs
# it). Operators spelled as words are left to the parser.
_PATH_EXPRESSION = re.compile(r"[ \t\n\r]*\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)[ \t\n\r]*")
_WORDS = frozenset(("and", "or", "in", "true", "false", "null", "function"))
# JSONata's function library, as jsonata-python binds it (a test keeps the two equal): a
# `$string` passed as a value is the function, not a variable.
JSONATA_FUNCTIONS = frozenset((
    "abs", "append", "assert", "average", "base64decode", "base64encode", "boolean", "ceil", "clone", "contains",
    "count", "decodeUrl", "decodeUrlComponent", "distinct", "each", "encodeUrl", "encodeUrlComponent", "error",
    "eval", "exists", "filter", "floor", "formatBase", "formatInteger", "formatNumber", "fromMillis", "join", "keys",
    "length", "lookup", "lowercase", "map", "match", "max", "merge", "millis", "min", "not", "now", "number", "pad",
    "parseInteger", "power", "random", "reduce", "replace", "reverse", "round", "shuffle", "sift", "single", "sort",
    "split", "spread", "sqrt", "string", "substring", "substringAfter", "substringBefore", "sum", "toMillis", "trim",
    "type", "uppercase", "zip"))
_BUILTIN_FUNCTIONS = JSONATA_FUNCTIONS | frozenset(STEP_FUNCTIONS_FUNCTIONS)


def _path_usage(expression: str) -> Usage | None:
    """What a `$name.field...` expression uses, as the parser would find it; None for any
    other expression."""
    match = _PATH_EXPRESSION.fullmatch(expression)
    if match is None:
        return None
    name, fields = match.group(1), match.group(2).split(".")[1:]
    if name in _WORDS or not _WORDS.isdisjoint(fields):
        return None
    if len(fields) // _CHAIN_WEIGHT > MAX_JSONATA_DEPTH:  # what nesting() counts of a path: its dots
        return Usage(beyond_limit=_TOO_DEEP)
    start = match.start(1) - 1  # the `$`
    usage = Usage()
    if name == "states":
        if fields:
            usage.states_fields.append((fields[0], start))
    elif name not in _BUILTIN_FUNCTIONS:
        usage.variables.append((name, start))
    return usage


_OPENING, _CLOSING, _QUOTES = "([{", ")]}", "\"'`"
_OPERATORS = frozenset("+-*/%&=<>!.?:@#~^|")
_CHAIN_WEIGHT = 5  # operators in one chain per level of brackets: the parser nests them


def nesting(expression: str, stop_above: int = MAX_JSONATA_DEPTH) -> int:
    """How deep the expression's syntax tree can be, read in one linear pass: open
    brackets, plus operators chained at the same level (`1+1+1...` nests one node per
    operator), a fifth of a level each. Stops counting once past `stop_above`."""
    deepest, chains, chained = 0, [0], 0
    position, length = 0, len(expression)
    while position < length and deepest <= stop_above:
        char = expression[position]
        if char in _QUOTES:  # a string or a quoted name: skip it, escapes included
            position += 1
            while position < length and expression[position] != char:
                position += 2 if expression[position] == "\\" else 1
        elif expression.startswith("/*", position):
            end = expression.find("*/", position + 2)
            position = length if end < 0 else end + 1
        elif char in _OPENING:
            chains.append(0)
        elif char in _CLOSING and len(chains) > 1:
            chained -= chains.pop()
        elif char in ",;":
            chained -= chains[-1]
            chains[-1] = 0
        elif char in _OPERATORS:
            chains[-1] += 1
            chained += 1
        deepest = max(deepest, len(chains) - 1 + chained // _CHAIN_WEIGHT)
        position += 1
    return deepest


def _error_message(error) -> str:
    text = str(error).strip()
    return text[0].lower() + text[1:] if text else "syntax error"


# A node carries some fifty attributes, nearly all of them flags, numbers, names or None:
# only lists, tuples and other nodes can lead further.
_LEAF_TYPES = frozenset((type(None), bool, int, float, str))


def _nodes(ast) -> list:
    """Every node of the syntax tree once, parents before children. The parser shares
    lists between nodes (an array's items are reachable from each item), so each list is
    expanded once too: otherwise a 60,000-item array costs billions of steps."""
    found, seen, expanded, stack = [], set(), set(), [ast]
    leaves = _LEAF_TYPES
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        children = []
        for key, value in vars(node).items():
            if type(value) in leaves or key == "_outer_instance":
                continue  # the parser that made the node is no part of the tree
            pending = [value]
            while pending:  # object constructors hold lists of [key, value] pairs
                item = pending.pop()
                if hasattr(item, "type"):
                    children.append(item)
                elif isinstance(item, (list, tuple)) and id(item) not in expanded:
                    expanded.add(id(item))
                    pending.extend(item)
        stack.extend(children)
    return found


def _collect_bindings(nodes: list, bound: set[str]) -> None:
    for node in nodes:
        if node.type == "bind" and getattr(node, "lhs", None) is not None:
            bound.add(str(node.lhs.value))
        if node.type == "lambda":
            bound.update(str(arg.value) for arg in getattr(node, "arguments", None) or [])
        # ~> and [..] focus/index bindings: $e@$f, #$i
        for attribute in ("focus", "index", "tuple"):
            if isinstance(getattr(node, attribute, None), str):
                bound.add(getattr(node, attribute))


def _start(node, expression: str) -> int:
    """Nodes carry the offset just past their token; step back to its start."""
    position = getattr(node, "position", None) or 0
    token = "$" + str(node.value) if node.type == "variable" else str(node.value or "")
    return max(0, min(position - len(token), len(expression)))


def _walk(nodes: list, usage: Usage, bound: set[str], expression: str) -> None:
    functions = set()
    for node in nodes:
        if node.type == "path" and node.steps and node.steps[0].type == "variable" and node.steps[0].value == "states":
            if len(node.steps) > 1 and node.steps[1].type == "name":
                usage.states_fields.append((str(node.steps[1].value), _start(node.steps[0], expression)))
        procedure = getattr(node, "procedure", None)
        if node.type == "function" and procedure is not None and procedure.type == "variable":
            name = str(node.procedure.value)
            usage.calls.append((name, _start(node.procedure, expression), list(node.arguments or [])))
            if name in _BUILTIN_FUNCTIONS:
                functions.add(id(procedure))
        if node.type == "variable" and node.value not in ("", "$", "states") and id(node) not in functions:
            if str(node.value).startswith(_PLACEHOLDER_VARIABLE):
                continue  # a template placeholder, not a workflow variable
            # $string passed as a value ($map(xs, $string)) is the function, not a variable.
            if str(node.value) not in bound and str(node.value) not in _BUILTIN_FUNCTIONS:
                usage.variables.append((str(node.value), _start(node, expression)))


def _root_reference(ast, expression: str) -> int | None:
    """`$`, `$$` or a bare field name as the whole or the first step of the expression."""
    node = ast
    if node.type == "path" and node.steps:
        node = node.steps[0]
    if node.type == "name":
        return _start(node, expression)
    if node.type == "variable" and node.value in ("", "$"):
        return _start(node, expression)
    return None
