"""The readers: same paths from JSON and YAML, exact spans, and bad input as LoadError."""

from __future__ import annotations

import json
import time

import pytest

from asl_lint.source import LoadError, load_document

JSON_DOC = '{\n  "StartAt": "Start",\n  "States": {\n    "Start": {"Type": "Pass", "End": true}\n  }\n}\n'
YAML_DOC = "StartAt: Start\nStates:\n  Start:\n    Type: Pass\n    End: true\n"


def test_json_and_yaml_give_the_same_data_and_paths() -> None:
    as_json = load_document(JSON_DOC, "x.json")
    as_yaml = load_document(YAML_DOC, "x.yaml")
    assert as_json.data == as_yaml.data
    assert set(as_json.sourcemap.locations) == set(as_yaml.sourcemap.locations)


def test_key_value_and_member_spans() -> None:
    doc = load_document(JSON_DOC, "x.json")
    key = doc.sourcemap.span(("States", "Start"), "key")
    value = doc.sourcemap.span(("States", "Start", "Type"), "value")
    member = doc.sourcemap.span(("States", "Start"), "member")
    assert (key.line, key.column, key.end_line, key.end_column) == (4, 5, 4, 12)
    assert (value.line, value.column, value.end_column) == (4, 23, 29)
    assert (member.line, member.column, member.end_line, member.end_column) == (4, 5, 4, 43)


def test_yaml_spans() -> None:
    doc = load_document(YAML_DOC, "x.yaml")
    span = doc.sourcemap.span(("States", "Start", "End"), "member")
    assert (span.line, span.column, span.end_line, span.end_column) == (5, 5, 5, 14)


def test_missing_path_falls_back_to_nearest_ancestor_key() -> None:
    doc = load_document(JSON_DOC, "x.json")
    span = doc.sourcemap.span(("States", "Start", "Resource"))
    assert (span.line, span.column) == (4, 5)


def test_columns_count_code_points_and_crlf_lines() -> None:
    text = '{"StartAt": "é€😀",\r\n "States": {"é€😀": {"Type": "Succeed"}}}'
    doc = load_document(text, "x.json")
    span = doc.sourcemap.span(("States", "é€😀", "Type"))
    assert (span.line, span.column) == (2, 29)


def test_json_numbers_follow_json_not_yaml() -> None:
    doc = load_document('{"a": 1e3, "b": 2, "c": -0.5}', "x.json")
    assert doc.data == {"a": 1000.0, "b": 2, "c": -0.5}
    assert isinstance(doc.data["b"], int)


def test_json_tabs_are_whitespace() -> None:
    assert load_document('{\n\t"a":\t1\n}', "x.json").data == {"a": 1}


def test_json_duplicate_keys_are_recorded() -> None:
    doc = load_document('{"a": {"k": 1, "k": 2}}', "x.json")
    assert [(d.object_path, d.key) for d in doc.duplicates] == [(("a",), "k")]
    assert doc.data == {"a": {"k": 2}}


@pytest.mark.parametrize("text", [
    '{"k": 1, "k"\n\t: 2}',  # white space before a colon
    '{"note": "x\\":y", "k": 1, "k": 2}',  # a string holding `":` as well
    '{"k": ":", "k": 2}',  # a string that starts with a colon
])
def test_json_duplicate_keys_are_found_whatever_surrounds_them(text: str) -> None:
    assert [d.key for d in load_document(text, "x.json").duplicates] == ["k"]


def test_plain_json_with_colons_in_strings_is_read_as_plain() -> None:
    from asl_lint.source.json_loader import LazySourceMap

    doc = load_document('{"Definition": "{\\"StartAt\\":\\"A\\"}", "Comment": ":"}', "x.json")
    assert isinstance(doc.sourcemap, LazySourceMap) and not doc.duplicates


@pytest.mark.parametrize("digits", [400, 401, 5000])
def test_integers_beyond_the_limit_are_refused_however_long(digits: int) -> None:
    text = '{"n": -' + "9" * digits + "}"
    with pytest.raises(LoadError) as caught:
        load_document(text, "x.json")
    assert caught.value.kind == "too-complex"


def test_integers_within_the_limit_are_read() -> None:
    assert load_document('{"n": ' + "9" * 400 + ', "m": -' + "9" * 399 + "}", "x.json").data["n"] == 10**400 - 1


def test_yaml_duplicate_keys_are_recorded() -> None:
    doc = load_document("a:\n  k: 1\n  k: 2\n", "x.yaml")
    assert [(d.object_path, d.key) for d in doc.duplicates] == [(("a",), "k")]


def test_unquoted_placeholder_is_read_and_marked() -> None:
    doc = load_document('{"Seconds": ${WaitTime}, "x": [${A}]}', "x.json")
    assert doc.data == {"Seconds": "${WaitTime}", "x": ["${A}"]}
    assert doc.placeholders == {("Seconds",), ("x", 0)}


def test_byte_order_mark_is_ignored() -> None:
    assert load_document('\ufeff{"a": 1}', "x.json").data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "offset", "words"),
    [
        ('{"a": 1,}', 8, "no trailing comma"),
        ('{"a" 1}', 5, "expected ':'"),
        ('{"a": tru}', 6, "expected a value"),
        ('{"a": 1} x', 9, "after the JSON document"),
        ('{"a": "x\ty"}', 8, "U+0009"),
        ("", 0, "empty"),
    ],
)
def test_json_syntax_errors_point_at_the_problem(text: str, offset: int, words: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_document(text, "x.json")
    assert caught.value.offset == offset
    assert words in caught.value.message


def test_yaml_syntax_error_has_an_offset() -> None:
    with pytest.raises(LoadError) as caught:
        load_document("a: [1, 2\nb: 3\n", "x.yaml")
    assert caught.value.offset is not None and caught.value.kind == "syntax"


def test_yaml_anchors_aliases_and_merge_keys() -> None:
    text = "base: &base {Type: Pass, End: true}\nstate:\n  <<: *base\n  End: false\n"
    doc = load_document(text, "x.yaml")
    assert doc.data["state"] == {"End": False, "Type": "Pass"}


def test_yaml_scalars_follow_the_yaml_1_2_core_schema() -> None:
    doc = load_document("a: Yes\nb: off\nc: True\nd: 0777\ne: 2016-03-14T01:59:00Z\nf: 1.5\ng:\nh: ~\n", "x.yaml")
    assert doc.data == {"a": "Yes", "b": "off", "c": True, "d": 777, "e": "2016-03-14T01:59:00Z", "f": 1.5,
                        "g": None, "h": None}


def test_cloudformation_short_tags_become_long_form() -> None:
    doc = load_document("a: !GetAtt Fn.Arn\nb: !Ref X\nc: !Sub 'x-${AWS::Region}'\nd: !Join ['', [a, b]]\n", "t.yaml")
    assert doc.data == {
        "a": {"Fn::GetAtt": ["Fn", "Arn"]},
        "b": {"Ref": "X"},
        "c": {"Fn::Sub": "x-${AWS::Region}"},
        "d": {"Fn::Join": ["", ["a", "b"]]},
    }


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        name, previous = chr(97 + level), chr(96 + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_document("\n".join(lines), "bomb.yaml")
    assert caught.value.kind == "too-complex"
    assert time.perf_counter() - started < 5  # a generous bound: the point is "not minutes"


def test_self_referencing_alias_is_refused() -> None:
    with pytest.raises(LoadError) as caught:
        load_document("a: &a [*a]\n", "x.yaml")
    assert caught.value.kind == "too-complex"


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_deep_nesting_is_refused_not_a_crash(fmt: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_document("[" * 5000 + "]" * 5000, f"x.{fmt}")
    assert caught.value.kind in ("too-complex", "syntax")


def test_plain_json_positions_found_path_by_path_equal_the_full_reader() -> None:
    from pathlib import Path

    from asl_lint.source.json_loader import _NOT_PLAIN, JsonReader, LazySourceMap, _plain_json

    checked = 0
    for path in sorted(Path(__file__).resolve().parents[2].glob("fixtures/**/*.json")):
        text = path.read_text(encoding="utf-8")
        if _plain_json(text) is _NOT_PLAIN:  # only plain JSON gets a lazy map
            continue
        reader = JsonReader(text)
        reader.read()
        lazy = LazySourceMap(text)
        for located, location in reader.sourcemap.locations.items():
            assert lazy.locations.get(located) == location, (path.name, located)
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize("template", ['{{"k": "{}"}}', '{{"{}": 1}}', '["{}"]'])
def test_strings_beyond_the_limit_are_refused_as_values_keys_and_items(template: str) -> None:
    from asl_lint.limits import MAX_STRING_LENGTH

    assert load_document(template.format("x" * MAX_STRING_LENGTH), "x.json").data
    with pytest.raises(LoadError) as caught:
        load_document(template.format("x" * (MAX_STRING_LENGTH + 1)), "x.json")
    assert caught.value.kind == "too-complex"


def test_a_long_string_split_by_escaped_quotes_is_still_refused() -> None:
    from asl_lint.limits import MAX_STRING_LENGTH

    piece = "x" * (MAX_STRING_LENGTH // 2)
    with pytest.raises(LoadError) as caught:
        load_document('{"k": "' + piece + '\\"' + piece + '"}', "x.json")
    assert caught.value.kind == "too-complex"


def test_only_a_text_with_a_long_stretch_between_quotes_is_searched_for_long_strings() -> None:
    from asl_lint.limits import MAX_STRING_LENGTH
    from asl_lint.source.json_loader import _may_hold_long_strings

    many_short = json.dumps({f"k{index}": "v" * 50 for index in range(40_000)})
    assert len(many_short) > 2 * MAX_STRING_LENGTH and not _may_hold_long_strings(many_short)
    for items_before in (0, 1, MAX_STRING_LENGTH // 8 - 1, MAX_STRING_LENGTH // 8 + 3):
        text = "[" + '"a",' * items_before + '"' + "x" * (MAX_STRING_LENGTH + 1) + '"]'
        assert _may_hold_long_strings(text), items_before
