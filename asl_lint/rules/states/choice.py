"""ASL610-ASL613: Choice rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...lang.fields import choice_rules
from ..base import Finding, Rule

COMPARISONS = tuple(
    f"{family}{op}{suffix}"
    for family in ("String", "Numeric", "Timestamp")
    for op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
    for suffix in ("", "Path")
) + ("StringMatches", "BooleanEquals", "BooleanEqualsPath", "IsNull", "IsPresent", "IsNumeric", "IsString",
     "IsBoolean", "IsTimestamp")
BOOLEAN = ("And", "Or", "Not")
# RFC 3339 as Step Functions reads it: upper-case T, and Z or a numeric offset.
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")


def valid_timestamp(text: str) -> bool:
    if not TIMESTAMP.match(text):
        return False
    month, day = int(text[5:7]), int(text[8:10])
    hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
    return 1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 61


class ChoiceRuleForm(Rule):
    """A JSONPath Choice rule that is not one comparison or one boolean expression

    A data-test rule has `Variable` and exactly one comparison operator; a boolean rule
    has exactly one of `And`, `Or` or `Not` and no `Variable`.

    Bad:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
      {"Variable": "$.n", "NumericGreaterThan": 1, "NumericLessThan": 9, "Next": "D"}]},
      "D": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
      {"And": [{"Variable": "$.n", "NumericGreaterThan": 1},
               {"Variable": "$.n", "NumericLessThan": 9}], "Next": "D"}]},
      "D": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL610"
    name = "choice-rule-form"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("states", "choice")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for choice_rule in ctx.index.choice_rules:
            if choice_rule.state.query_language != "JSONPath":
                continue
            state, path, rule = choice_rule.state, choice_rule.path, choice_rule.data
            operators = [key for key in rule if key in COMPARISONS]
            booleans = [key for key in rule if key in BOOLEAN]
            has_variable = "Variable" in rule
            problem = None
            if booleans and (operators or has_variable or len(booleans) > 1):
                problem = f"a rule is either one of And/Or/Not or a comparison, not {', '.join(booleans + operators)}"
            elif not booleans and len(operators) != 1:
                problem = ("a comparison needs exactly one operator (StringEquals, NumericGreaterThan, IsPresent, ...)"
                           if not operators else f"only one operator per rule: {', '.join(operators)}; combine"
                           " several with And")
            elif operators and not has_variable:
                problem = f"'{operators[0]}' compares 'Variable', which the rule lacks"
            if problem:
                yield Finding(path, f"{problem} (state '{state.name}')", "key" if path[-1] != "Not" else "value")


class InvalidTimestamp(Rule):
    """A timestamp that is not RFC 3339 as Step Functions reads it

    Wait `Timestamp` and the `Timestamp*` Choice operators take timestamps such as
    `2026-03-14T01:59:00Z`: an upper-case `T`, and `Z` or an offset like `+01:00`.

    Bad:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2026-03-14 01:59:00",
      "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2026-03-14T01:59:00Z",
      "End": true}}}
    ```
    """

    id = "ASL611"
    name = "invalid-timestamp"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("states", "choice", "wait")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.index.states_of_type("Wait", "Choice"):
            candidates = []
            if state.type == "Wait" and isinstance(state.data.get("Timestamp"), str):
                candidates.append((state.path + ("Timestamp",), state.data["Timestamp"]))
            for path, rule, _ in choice_rules(state):
                for key, value in rule.items():
                    if key.startswith("Timestamp") and not key.endswith("Path") and isinstance(value, str):
                        candidates.append((path + (key,), value))
            for path, value in candidates:
                # A JSONata state evaluates {% %}; a JSONPath state takes it as the literal it is,
                # which AWS rejects ("String does not match RFC3339 timestamp").
                if ctx.is_placeholder(path) or (value.startswith("{%") and state.query_language == "JSONata"):
                    continue
                if not valid_timestamp(value):
                    why = ": a JSONPath state does not evaluate {% %}" if value.startswith("{%") else ""
                    yield Finding(path, f"'{value}' is not an RFC 3339 timestamp like 2026-03-14T01:59:00Z{why}"
                                  f" (state '{state.name}')")


# Regular-expression syntax written into a StringMatches pattern. Each alternative matches
# a fixed text, so the search is linear; a character class is found without a regex (its
# pattern, \[[^\]]*\], takes quadratic time on a run of '[').
_REGEX_MARKS = re.compile(r"\.\*|^\^|\$$|\(\?|\\d|\\w|\?")


def _looks_like_regex(pattern: str) -> bool:
    opening = pattern.find("[")
    return (opening >= 0 and pattern.find("]", opening + 1) > 0) or bool(_REGEX_MARKS.search(pattern))


class StringMatchesPattern(Rule):
    """A `StringMatches` pattern that will not match what it seems to say

    In `StringMatches` only `*` is special (any run of characters); `\\*` and `\\\\` are
    a literal star and backslash. A pattern ending in a lone backslash fails at run time,
    and regular-expression syntax (`.*`, `^`, `[a-z]`, `?`) is matched literally.

    Bad:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
      {"Variable": "$.file", "StringMatches": "^report-.*\\\\.csv$", "Next": "D"}]},
      "D": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
      {"Variable": "$.file", "StringMatches": "report-*.csv", "Next": "D"}]},
      "D": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL612"
    name = "string-matches-pattern"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "choice")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for choice_rule in ctx.index.choice_rules:
            state, path, rule = choice_rule.state, choice_rule.path, choice_rule.data
            pattern = rule.get("StringMatches")
            if not isinstance(pattern, str):
                continue
            trailing = len(pattern) - len(pattern.rstrip("\\"))
            if trailing % 2:
                yield Finding(path + ("StringMatches",), f"the pattern ends with a lone backslash, which fails"
                              f" at run time (state '{state.name}')")
            elif _looks_like_regex(pattern):
                yield Finding(path + ("StringMatches",), "StringMatches is not a regular expression: only '*'"
                              f" is special here (state '{state.name}')")


class UnreachableChoiceRule(Rule):
    """A Choice rule after one whose `Condition` is always true

    Rules are tried in order; after `"Condition": true` (or `"{% true %}"`) nothing else
    can be chosen, `Default` included.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
      {"Condition": true, "Next": "A"}, {"Condition": "{% $states.input.x %}", "Next": "B"}]},
      "A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
      {"Condition": "{% $states.input.x %}", "Next": "B"}], "Default": "A"},
      "A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL613"
    name = "unreachable-choice-rule"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "choice")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.index.states_of_type("Choice"):
            choices = state.data.get("Choices")
            if not isinstance(choices, list):
                continue
            for index, rule in enumerate(choices[:-1]):
                condition = rule.get("Condition") if isinstance(rule, dict) else None
                if condition is True or (isinstance(condition, str) and condition.replace(" ", "") == "{%true%}"):
                    yield Finding(state.path + ("Choices", index + 1), f"rule {index + 1} always matches, so this rule"
                                  f" is never chosen (state '{state.name}')", "value")
                    break
