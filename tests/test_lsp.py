"""asl-lint-lsp started as a subprocess and driven over stdio with real JSON-RPC."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from asl_lint.lsp.client import Client  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "fixtures" / "examples"
BROKEN = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "\U0001F600 ok", "Next": "Shipp"},\n' \
         ' "Ship": {"Type": "Succeed"}}}\n'


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.fixture
def client(workspace: Path):
    started = Client(workspace)
    yield started
    if started.process.poll() is None:
        started.close()


def by_rule(diagnostics: list[dict]) -> dict[str, dict]:
    return {found["code"]: found for found in diagnostics}


def test_a_plain_definition_gets_diagnostics_at_utf16_columns(client: Client, workspace: Path) -> None:
    uri = client.open("flow.asl.json", BROKEN)
    found = by_rule(client.diagnostics(uri, 1))
    line = BROKEN.splitlines()[0]
    at = line.index('"Shipp"')  # in code points; the emoji before it is two UTF-16 units
    assert found["ASL202"]["range"] == {"start": {"line": 0, "character": at + 1},
                                        "end": {"line": 0, "character": at + 1 + len('"Shipp"')}}
    assert found["ASL202"]["source"] == "asl-lint" and found["ASL202"]["severity"] == 1
    assert "codeDescription" not in found["ASL202"]  # no link until the rule pages have a home
    assert found["ASL203"]["range"]["start"] == {"line": 1, "character": 1}


def test_utf8_positions_when_the_client_asks_for_them(workspace: Path) -> None:
    client = Client(workspace, encodings=["utf-8", "utf-16"])
    try:
        assert client.initialize_result["result"]["capabilities"]["positionEncoding"] == "utf-8"
        uri = client.open("flow.asl.json", BROKEN)
        found = by_rule(client.diagnostics(uri, 1))
        line = BROKEN.splitlines()[0]
        assert found["ASL202"]["range"]["start"]["character"] == len(line[:line.index('"Shipp"')].encode())
    finally:
        client.close()


def test_templates_and_serverless_files_are_checked_where_they_are_edited(client: Client, workspace: Path) -> None:
    shutil.copytree(EXAMPLES / "sam", workspace / "sam")
    shutil.copytree(EXAMPLES / "serverless", workspace / "serverless")
    template = (workspace / "sam" / "template.yaml").read_text(encoding="utf-8")
    uri = client.open("sam/template.yaml", template, "yaml")
    found = by_rule(client.diagnostics(uri, 1))
    line = next(number for number, text in enumerate(template.splitlines()) if "Next: Notify" in text)
    assert found["ASL202"]["range"]["start"]["line"] == line
    serverless = (workspace / "serverless" / "serverless.yml").read_text(encoding="utf-8")
    uri = client.open("serverless/serverless.yml", serverless, "yaml")
    assert client.diagnostics(uri, 1)


def test_unsaved_edits_are_checked_fixed_and_broken(client: Client) -> None:
    uri = client.open("flow.asl.json", BROKEN)
    assert "ASL202" in by_rule(client.diagnostics(uri, 1))
    fixed = BROKEN.replace('"Shipp"', '"Ship"')
    client.change(uri, 2, fixed)
    assert client.diagnostics(uri, 2) == []
    start = fixed.index("{", 1)  # break it: a brace goes missing
    client.change(uri, 3, range_={"start": {"line": 0, "character": start}, "end": {"line": 0, "character": start + 1}})
    assert [found["code"] for found in client.diagnostics(uri, 3)] == ["ASL001"]


def test_hover_explains_the_rule_and_names_the_target(client: Client) -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Shipp"}, "B": {"Type": "Pass",\n' \
           ' "Next": "A"}}}\n'
    uri = client.open("flow.asl.json", text)
    client.diagnostics(uri, 1)
    position = {"line": 0, "character": text.index('"Shipp"') + 2}
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})["result"]
    assert "ASL202 transition-target-not-found" in hover["contents"]["value"]
    assert "no state of the top level has this name" in hover["contents"]["value"]
    position = {"line": 1, "character": text.splitlines()[1].index('"A"') + 1}
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})["result"]
    assert "a **Pass** state of the top level, line 1" in hover["contents"]["value"]


def _apply(text: str, edits: list[dict]) -> str:
    from asl_lint.lsp.analysis import Lines

    lines = Lines(text)
    spans = [(lines.offset(edit["range"]["start"], "utf-16"), lines.offset(edit["range"]["end"], "utf-16"),
              edit["newText"]) for edit in edits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def test_quick_fix_and_suppression_actions_do_what_they_say(client: Client) -> None:
    uri = client.open("flow.asl.json", BROKEN)
    diagnostics = client.diagnostics(uri, 1)
    target = by_rule(diagnostics)["ASL202"]
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": target["range"],
                                                         "context": {"diagnostics": [target]}})["result"]
    titles = [action["title"] for action in actions]
    assert titles[0] == "Change to 'Ship' (unsafe)" and "Disable ASL202 for state 'A'" in titles
    fixed = _apply(BROKEN, actions[0]["edit"]["changes"][uri])
    client.change(uri, 2, fixed)
    assert client.diagnostics(uri, 2) == []  # 'Ship' is reachable now, too
    client.change(uri, 3, BROKEN)
    diagnostics = client.diagnostics(uri, 3)
    target = by_rule(diagnostics)["ASL203"]
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": target["range"],
                                                         "context": {"diagnostics": [target]}})["result"]
    disable = next(action for action in actions if action["title"] == "Disable ASL203 for state 'Ship'")
    client.change(uri, 4, _apply(BROKEN, disable["edit"]["changes"][uri]))
    assert "ASL203" not in by_rule(client.diagnostics(uri, 4))


def test_a_yaml_line_suppression_is_a_comment_before_the_line(client: Client) -> None:
    text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n  B:\n    Type: Succeed\n  Orphan:\n" \
           "    Type: Succeed\n"
    uri = client.open("flow.asl.yaml", text, "yaml")
    target = by_rule(client.diagnostics(uri, 1))["ASL203"]
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": target["range"],
                                                         "context": {"diagnostics": [target]}})["result"]
    line = next(action for action in actions if action["title"] == "Disable ASL203 for this line")
    edited = _apply(text, line["edit"]["changes"][uri])
    assert "  # asl-lint: disable-next-line=ASL203\n  Orphan:" in edited
    client.change(uri, 2, edited)
    assert client.diagnostics(uri, 2) == []


def test_a_definition_file_is_checked_with_its_template_and_follows_its_edits(client: Client,
                                                                              workspace: Path) -> None:
    (workspace / "flow.asl.json").write_text(
        '{"StartAt": "Put", "States": {"Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",'
        ' "Parameters": {"TableName": "${OrdersTable}"}, "End": true}}}\n', encoding="utf-8")
    template = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n"
                "    Properties:\n      DefinitionUri: flow.asl.json\n      DefinitionSubstitutions:\n"
                "        OrderTable: orders\n")
    (workspace / "template.yaml").write_text(template, encoding="utf-8")
    definition = client.open("flow.asl.json", (workspace / "flow.asl.json").read_text(encoding="utf-8"))
    assert "ASL009" in by_rule(client.diagnostics(definition, 1))  # the template substitutes OrderTable only
    template_uri = client.open("template.yaml", template, "yaml")
    client.diagnostics(template_uri, 1)
    client.change(template_uri, 2, template.replace("OrderTable", "OrdersTable"))  # unsaved, in the template
    # the definition is checked again (it may be published more than once on the way)
    client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == definition
                and "ASL009" not in by_rule(m["params"]["diagnostics"]))


def test_nothing_for_files_outside_the_workspace_or_without_a_machine(client: Client, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "flow.asl.json"
    uri = outside.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1,
                                                            "text": BROKEN}})
    assert client.diagnostics(uri, 1) == []
    uri = client.open("package.json", '{"name": "x", "version": "1.0.0"}')
    assert client.diagnostics(uri, 1) == []
    assert not [message for message in client.notifications if message.get("method") == "window/showMessage"]


def test_the_project_configuration_applies(client: Client, workspace: Path) -> None:
    (workspace / ".asl-lint.yaml").write_text("ignore: [ASL203]\n", encoding="utf-8")
    uri = client.open("flow.asl.json", BROKEN)
    assert set(by_rule(client.diagnostics(uri, 1))) == {"ASL202"}


def test_a_malformed_message_gets_an_error_and_the_server_goes_on(client: Client) -> None:
    client.send_raw(b"{this is not json")
    error = client.wait(lambda message: "error" in message and message.get("id") is None)
    assert error["error"]["code"] == -32700
    unknown = client.request("asl-lint/nothing", {})
    assert unknown["error"]["code"] == -32601
    uri = client.open("flow.asl.json", BROKEN)
    assert client.diagnostics(uri, 1)


def test_a_check_that_takes_too_long_is_one_diagnostic_and_the_server_goes_on(workspace: Path) -> None:
    client = Client(workspace, initialization_options={"checkTimeout": 0.05})
    try:
        states = {f"S{i}": {"Type": "Pass", "Next": f"Missing{i}"} for i in range(4000)}
        uri = client.open("slow.asl.json", json.dumps({"StartAt": "S0", "States": states}))
        found = client.diagnostics(uri, 1)
        assert [(d["code"], d["range"]["start"]) for d in found] == [("ASL006", {"line": 0, "character": 0})]
        assert "took longer than 0.05 s" in found[0]["message"]
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": {"line": 0, "character": 0}})
        assert "error" not in hover
    finally:
        assert client.close() == 0


def test_shutdown_and_exit_end_the_server_with_status_0(client: Client) -> None:
    assert client.close() == 0


def test_a_definition_checked_through_its_template_points_back_to_it(client: Client, workspace: Path) -> None:
    (workspace / "flow.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}\n',
                                             encoding="utf-8")
    (workspace / "template.yaml").write_text(
        "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
        "      DefinitionUri: flow.asl.json\n", encoding="utf-8")
    uri = client.open("flow.asl.json", (workspace / "flow.asl.json").read_text(encoding="utf-8"))
    found = by_rule(client.diagnostics(uri, 1))["ASL202"]
    assert {"location": {"uri": (workspace / "template.yaml").as_uri(),
                         "range": {"start": {"line": 4, "character": 21}, "end": {"line": 4, "character": 34}}},
            "message": "read, with its substitutions, by template.yaml"} in found["relatedInformation"]


# ---- what the server never reads, and messages it still answers


def test_a_document_that_is_not_open_gets_null_and_is_never_read(client: Client, workspace: Path) -> None:
    os.mkfifo(workspace / "blocked.asl.json")  # reading it would block the server for ever
    outside = workspace.parent / f"{workspace.name}-outside"
    outside.mkdir()
    (outside / "flow.asl.json").write_text('{"StartAt": "Private", "States": {"Private": {"Type": "Succeed"}}}')
    os.symlink(outside / "flow.asl.json", workspace / "linked.asl.json")
    position = {"line": 0, "character": 12}
    for name in ("blocked.asl.json", "linked.asl.json", "gone.asl.json"):
        uri = client.uri(name)
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position}, 10)
        assert hover.get("result") is None and "error" not in hover
        diagnostic = {"range": {"start": position, "end": position}, "message": "m", "source": "asl-lint",
                      "code": "ASL203", "data": {"rule": "ASL203", "line": 1, "pointer": "/States/Private"}}
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": position, "end": position},
            "context": {"diagnostics": [diagnostic]}}, 10)
        assert actions.get("result") is None and "error" not in actions
    assert client.close() == 0  # shutdown is answered: nothing blocked


def test_untitled_and_diff_buffers_never_break_the_others(client: Client) -> None:
    uri = client.open("flow.asl.json", BROKEN)
    assert "ASL202" in by_rule(client.diagnostics(uri, 1))
    for other in ("untitled:Untitled-1", "git:/flow.asl.json?%7B%22ref%22%3A%22HEAD%22%7D"):
        client.notify("textDocument/didOpen", {"textDocument": {"uri": other, "languageId": "json", "version": 1,
                                                                "text": BROKEN}})
    client.change(uri, 2, BROKEN.replace("Shipp", "Ship"))
    assert client.diagnostics(uri, 2) == []


def test_a_document_over_the_size_limit_is_one_finding_not_a_check(client: Client) -> None:
    big = '{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "' + "x" * (11 << 20) + '"}}}'
    uri = client.open("big.asl.json", big)
    found = client.diagnostics(uri, 1)
    assert [d["code"] for d in found] == ["ASL012"] and "larger than 10,485,760 bytes" in found[0]["message"]


def test_a_request_with_params_it_cannot_read_is_answered(client: Client) -> None:
    answer = client.request("textDocument/hover", {"no": "such params"}, 10)
    assert answer["error"]["code"] == -32602
    uri = client.open("flow.asl.json", BROKEN)
    assert client.diagnostics(uri, 1)


def test_a_message_too_large_to_read_is_refused_and_the_server_goes_on(client: Client) -> None:
    client.process.stdin.write(b"Content-Length: 99999999999999999999\r\n\r\n")
    client.process.stdin.flush()
    error = client.wait(lambda message: "error" in message and message.get("id") is None, 10)
    assert error["error"]["code"] == -32700 and "at most" in error["error"]["message"]
    uri = client.open("flow.asl.json", BROKEN)
    assert client.diagnostics(uri, 1) and client.close() == 0


def test_a_code_action_on_nested_yaml_aliases_is_answered(client: Client) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1},"
              f" *a{n - 1}]" for n in range(1, 9)]
    text = "\n".join(lines) + "\nStartAt: A\nStates:\n  A: {Type: Pass, Next: B}\n"
    uri = client.open("bomb.asl.yaml", text, language="yaml")
    found = client.diagnostics(uri, 1, timeout=60)
    assert found, "the definition has a broken Next"
    answer = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": found[0]["range"], "context": {"diagnostics": found}}, 20)
    assert answer.get("result"), "answered with the actions, not after the check's time limit with nothing"


def test_many_findings_are_placed_in_one_pass(client: Client) -> None:
    states = {f"S{i}": {"Type": "Pass", "Next": f"Missing{i}"} for i in range(4000)}
    text = json.dumps({"StartAt": "S0", "States": states}, indent=1)
    uri = client.open("many.asl.json", text)
    found = client.diagnostics(uri, 1, timeout=30)  # 22 s when each finding rebuilt the line table
    assert sum(1 for d in found if d["code"] == "ASL202") == 4000


def test_an_unreachable_state_is_marked_at_its_name_and_faded(client: Client) -> None:
    uri = client.open("flow.asl.json", BROKEN)
    unreachable = by_rule(client.diagnostics(uri, 1))["ASL203"]
    assert unreachable["range"] == {"start": {"line": 1, "character": 1}, "end": {"line": 1, "character": 7}}
    assert unreachable["tags"] == [1]  # DiagnosticTag.Unnecessary: the state fades, its name is marked
    text = "StartAt: A\nStates:\n  A:\n    Type: Succeed\n  'Or''phan':\n    Type: Pass\n    End: true\n"
    uri = client.open("flow.asl.yaml", text, "yaml")
    unreachable = by_rule(client.diagnostics(uri, 1))["ASL203"]
    assert unreachable["range"] == {"start": {"line": 4, "character": 2}, "end": {"line": 4, "character": 12}}


def test_findings_stay_while_the_text_does_not_parse_and_move_with_the_edits(client: Client) -> None:
    uri = client.open("flow.asl.json", BROKEN)
    before = by_rule(client.diagnostics(uri, 1))
    assert "fix" in before["ASL202"]["data"]
    client.change(uri, 2, range_={"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                  new_text=",\n")  # a stray comma on a line of its own: the text does not parse
    during = by_rule(client.diagnostics(uri, 2))
    assert set(during) == {"ASL001", "ASL202", "ASL203"}
    for rule in ("ASL202", "ASL203"):
        moved = before[rule]["range"]
        assert during[rule]["range"] == {"start": {**moved["start"], "line": moved["start"]["line"] + 1},
                                         "end": {**moved["end"], "line": moved["end"]["line"] + 1}}
    assert "fix" not in during["ASL202"]["data"]  # its edits were of the text that parsed
    client.change(uri, 3, range_={"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}})
    assert set(by_rule(client.diagnostics(uri, 3))) == {"ASL202", "ASL203"}
    client.change(uri, 4, BROKEN.replace('"Shipp"', '"Ship"'))
    client.change(uri, 5, range_={"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}})
    # the first brace goes: nothing parsed had a finding
    assert [found["code"] for found in client.diagnostics(uri, 5)] == ["ASL001"]


def test_code_actions_need_no_data_from_the_client(client: Client) -> None:
    uri = client.open("flow.asl.json", BROKEN)
    target = dict(by_rule(client.diagnostics(uri, 1))["ASL202"])
    target.pop("data")  # as sansio-lsp-client sends it back
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": target["range"],
                                                         "context": {"diagnostics": [target]}})["result"]
    titles = [action["title"] for action in actions]
    assert titles[0] == "Change to 'Ship' (unsafe)" and "Disable ASL202 for state 'A'" in titles


SCOPED = """{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "B"},
    "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "A"}], "Default": "P"},
    "P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Succeed"}}}
    ]}
  }
}
"""


def _at(text: str, line: int, needle: str, nth: int = 0) -> dict:
    row = text.splitlines()[line]
    at = -1
    for _ in range(nth + 1):
        at = row.index(needle, at + 1)
    return {"line": line, "character": at + 1}


def _where(text: str, line: int, needle: str, nth: int = 0) -> tuple[int, int]:
    spot = _at(text, line, needle, nth)
    return spot["line"], spot["character"] - 1


def _spots(found: list[dict]) -> list[tuple[int, int]]:
    return sorted((place["range"]["start"]["line"], place["range"]["start"]["character"]) for place in found)


def test_definition_and_references_of_a_state_stay_in_its_scope(client: Client) -> None:
    uri = client.open("flow.asl.json", SCOPED)
    client.diagnostics(uri, 1)
    where = {"textDocument": {"uri": uri}}
    found = client.request("textDocument/definition", {**where, "position": _at(SCOPED, 3, '"B"')})["result"]
    assert [(place["uri"], place["range"]["start"]) for place in found] == [(uri, {"line": 4, "character": 4})]
    found = client.request("textDocument/references", {**where, "position": _at(SCOPED, 3, '"A"'),
                                                       "context": {"includeDeclaration": True}})["result"]
    # StartAt, the key, the Choice rule's Next
    assert _spots(found) == [_where(SCOPED, 1, '"A"'), _where(SCOPED, 3, '"A"'), _where(SCOPED, 4, '"A"')]
    found = client.request("textDocument/references", {**where, "position": _at(SCOPED, 6, '"Y"', 1),
                                                       "context": {"includeDeclaration": False}})["result"]
    assert _spots(found) == [_where(SCOPED, 6, '"Y"')]  # X's Next, inside the branch
    nothing = client.request("textDocument/definition", {**where, "position": {"line": 0, "character": 0}})
    assert nothing["result"] is None


def test_rename_a_state_everywhere_its_scope_names_it_and_never_onto_another(client: Client) -> None:
    uri = client.open("flow.asl.json", SCOPED)
    client.diagnostics(uri, 1)
    where = {"textDocument": {"uri": uri}, "position": _at(SCOPED, 4, '"A"')}
    prepared = client.request("textDocument/prepareRename", where)["result"]
    assert prepared["placeholder"] == "A"
    edit = client.request("textDocument/rename", {**where, "newName": "Start \"here\""})["result"]
    renamed = _apply(SCOPED, edit["changes"][uri])
    data = json.loads(renamed)
    assert data["StartAt"] == "Start \"here\"" and "Start \"here\"" in data["States"]
    assert data["States"]["B"]["Choices"][0]["Next"] == "Start \"here\"" and "A" not in data["States"]
    client.change(uri, 2, renamed)
    assert client.diagnostics(uri, 2) == []
    refused = client.request("textDocument/rename", {"textDocument": {"uri": uri}, "newName": "B",
                                                     "position": _at(renamed, 3, '"Start')})
    assert "already has a state named 'B'" in refused["error"]["message"]


def test_rename_in_yaml_keeps_it_yaml(client: Client) -> None:
    text = "StartAt: First\nStates:\n  First:\n    Type: Pass\n    Next: Done\n  Done:\n    Type: Succeed\n"
    uri = client.open("flow.asl.yaml", text, "yaml")
    client.diagnostics(uri, 1)
    edit = client.request("textDocument/rename", {"textDocument": {"uri": uri}, "newName": "Finish",
                                                  "position": {"line": 5, "character": 3}})["result"]
    assert _apply(text, edit["changes"][uri]) == text.replace("Done", "Finish")


def test_outline_and_folds_follow_the_scopes(client: Client) -> None:
    uri = client.open("flow.asl.json", SCOPED)
    client.diagnostics(uri, 1)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})["result"]
    assert [(symbol["name"], symbol["detail"]) for symbol in symbols] == [("A", "Pass"), ("B", "Choice"),
                                                                           ("P", "Parallel")]
    branch = symbols[2]["children"][0]
    assert branch["name"] == "branch 1" and [state["name"] for state in branch["children"]] == ["X", "Y"]
    assert symbols[0]["selectionRange"] == {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 7}}
    folds = client.request("textDocument/foldingRange", {"textDocument": {"uri": uri}})["result"]
    assert {"startLine": 5, "endLine": 7} in [{key: fold[key] for key in ("startLine", "endLine")} for fold in folds]


def _labels(client: Client, uri: str, position: dict) -> list[str]:
    found = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position})["result"]
    return [item["label"] for item in (found or [])]


def test_completion_offers_what_may_be_written_here_even_while_the_text_does_not_parse(client: Client) -> None:
    uri = client.open("flow.asl.json", SCOPED)
    client.diagnostics(uri, 1)
    typing = SCOPED.replace('"Next": "Y"}', '"Next": "}')  # mid-keystroke: the text does not parse
    client.change(uri, 2, typing)
    assert [found["code"] for found in client.diagnostics(uri, 2)][0] == "ASL001"
    row = typing.splitlines()[6]
    assert _labels(client, uri, {"line": 6, "character": row.index('"Next": "') + 9}) == ["X", "Y"]  # its branch's
    client.change(uri, 3, SCOPED.replace('{"Type": "Pass", "Next": "B"}', '{"Type": "Pass", "Next": "B",\n"Res'))
    assert sorted(_labels(client, uri, {"line": 4, "character": 4})) == ["Result", "ResultPath"]  # a JSONPath Pass's
    client.change(uri, 4, SCOPED.replace('"Type": "Pass", "Next": "B"',
                                         '"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObj'))
    row = SCOPED.splitlines()[3].replace('"Type": "Pass", "Next": "B"',
                                         '"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObj')
    arns = _labels(client, uri, {"line": 3, "character": row.index("getObj") + len("getObj")})
    assert "arn:aws:states:::aws-sdk:s3:getObject" in arns and all(arn.startswith("arn:aws:states:::aws-sdk:s3:getObj")
                                                                  for arn in arns)


def test_completion_of_functions_states_members_and_snippets(client: Client) -> None:
    text = ('{"QueryLanguage": "JSONata", "StartAt": "P", "States": {\n'
            '  "P": {"Type": "Pass", "Assign": {"total": 1}, "Output": "{% $states.in %}", "Next": "Q"},\n'
            '  "Q": {"Type": "Pass", "Output": "{% $to %}", "End": true}\n'
            '}}\n')
    uri = client.open("flow.asl.json", text)
    client.diagnostics(uri, 1)
    text = text.replace("true}\n}}\n", 'true},\n  "\n}}\n')  # a new state begun: the text does not parse
    client.change(uri, 2, text)
    row = text.splitlines()[1]
    assert _labels(client, uri, {"line": 1, "character": row.index("$states.in") + len("$states.in")}) == ["input"]
    row = text.splitlines()[2]
    assert _labels(client, uri, {"line": 2, "character": row.index("$to") + 3}) == ["total"]
    snippets = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": 3, "character": 3}})["result"]
    task = next(item for item in snippets if item["label"] == "Task state")
    assert task["insertTextFormat"] == 2 and '"Type": "Task"' in task["textEdit"]["newText"]


def test_completion_in_yaml_reads_the_scope_from_the_indentation(client: Client) -> None:
    text = ("StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: P\n  P:\n    Type: Parallel\n    End: true\n"
            "    Branches:\n      - StartAt: X\n        States:\n          X:\n            Type: Pass\n"
            "            Next: Y\n          Y:\n            Type: Succeed\n")
    uri = client.open("flow.asl.yaml", text, "yaml")
    client.diagnostics(uri, 1)
    typing = text.replace("            Next: Y\n", "            Next: \n")
    client.change(uri, 2, typing)
    assert _labels(client, uri, {"line": 13, "character": 18}) == ["X", "Y"]
    assert _labels(client, uri, {"line": 4, "character": 10}) == ["A", "P"]
    typing = text.replace("    Next: P\n", "    Next: P\n    Res\n")
    client.change(uri, 3, typing)
    assert sorted(_labels(client, uri, {"line": 5, "character": 7})) == ["Result", "ResultPath"]


def test_hover_on_a_field_name_explains_the_field(client: Client) -> None:
    uri = client.open("flow.asl.json", SCOPED)
    client.diagnostics(uri, 1)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": _at(SCOPED, 4, '"Default"')})["result"]
    assert hover["contents"]["value"].startswith("**Default**: The state a Choice goes to when no rule matches")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": _at(SCOPED, 4, '"IsPresent"')})["result"]
    assert hover["contents"]["value"].startswith("**IsPresent**: A Choice rule's test (JSONPath): whether")


DEPRECATED = ('{"StartAt": "M", "States": {"M": {"Type": "Map", "Parameters": {"x.$": "$$.Map.Item.Value"},\n'
              ' "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}\n')


def test_fix_all_applies_every_safe_fix_at_once(client: Client) -> None:
    uri = client.open("flow.asl.json", DEPRECATED)
    assert [found["code"] for found in client.diagnostics(uri, 1)].count("ASL621") == 2
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": [], "only": ["source.fixAll"]}})["result"]
    assert [action["kind"] for action in actions] == ["source.fixAll"]
    fixed = _apply(DEPRECATED, actions[0]["edit"]["changes"][uri])
    assert '"ItemSelector"' in fixed and '"ItemProcessor"' in fixed and "Iterator" not in fixed
    client.change(uri, 2, fixed)
    assert "ASL621" not in by_rule(client.diagnostics(uri, 2))


def test_the_state_graph_is_a_code_lens_and_a_command(client: Client) -> None:
    uri = client.open("flow.asl.json", BROKEN)
    client.diagnostics(uri, 1)
    lenses = client.request("textDocument/codeLens", {"textDocument": {"uri": uri}})["result"]
    assert [lens["command"]["title"] for lens in lenses] == ["Show the state graph"]
    command = lenses[0]["command"]
    drawn = client.request("workspace/executeCommand", {"command": command["command"],
                                                        "arguments": command["arguments"]})["result"]
    assert drawn.startswith("flowchart TD") and "Ship" in drawn and "classDef error" in drawn


def test_an_untitled_buffer_is_checked_as_standard_input_is_and_a_diff_view_is_not(client: Client) -> None:
    untitled, diff = "untitled:Untitled-1", "git:/flow.asl.json?%7B%22ref%22%3A%22HEAD%22%7D"
    for uri, language in ((untitled, "asl"), (diff, "json")):
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1,
                                                                "text": BROKEN}})
    found = by_rule(client.diagnostics(untitled, 1))
    assert set(found) == {"ASL202", "ASL203"} and "fix" not in found["ASL202"]["data"]  # no file to edit
    yaml_text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Gone\n"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": "untitled:Untitled-2", "languageId": "yaml",
                                                            "version": 1, "text": yaml_text}})
    assert by_rule(client.diagnostics("untitled:Untitled-2", 1))["ASL202"]["range"]["start"]["line"] == 4
    assert not [message for message in client.notifications if message.get("method") == "textDocument/publishDiagnostics"
                and message["params"]["uri"] == diff and message["params"]["diagnostics"]]


def test_a_file_outside_the_folders_is_said_and_with_no_folder_open_files_are_checked(workspace: Path,
                                                                                      tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "flow.asl.json"
    outside.write_text(BROKEN, encoding="utf-8")
    client = Client(workspace)
    try:
        client.notify("textDocument/didOpen", {"textDocument": {"uri": outside.as_uri(), "languageId": "json",
                                                                "version": 1, "text": BROKEN}})
        assert client.diagnostics(outside.as_uri(), 1) == []
        said = client.wait(lambda m: m.get("method") == "window/logMessage")
        assert "outside the workspace folders" in said["params"]["message"]
    finally:
        client.close()
    client = Client(workspace, folders=False)
    try:
        client.notify("textDocument/didOpen", {"textDocument": {"uri": outside.as_uri(), "languageId": "json",
                                                                "version": 1, "text": BROKEN}})
        assert "ASL202" in by_rule(client.diagnostics(outside.as_uri(), 1))
    finally:
        client.close()


def test_a_configuration_that_cannot_be_used_is_one_finding_on_it_at_its_line(client: Client, workspace: Path) -> None:
    config = workspace / ".asl-lint.yaml"
    config.write_text("select: [ASL202]\nignore: [NOPE]\n", encoding="utf-8")
    uri = client.open("flow.asl.json", BROKEN)
    assert client.diagnostics(uri, 1) == []  # not an ASL004 at 1:1 on every document
    found = client.diagnostics(config.as_uri())
    assert len(found) == 1 and found[0]["range"]["start"] == {"line": 1, "character": 9}
    assert "'NOPE' names no rule" in found[0]["message"]
    config.write_text("select: [ASL202]\n", encoding="utf-8")
    client.change(uri, 2, BROKEN + " ")
    assert [found["code"] for found in client.diagnostics(uri, 2)] == ["ASL202"]
    assert client.diagnostics(config.as_uri()) == []  # cleared once it reads


def test_files_changed_on_disk_re_check_the_open_documents_that_depend_on_them(workspace: Path) -> None:
    client = Client(workspace, capabilities={"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}})
    try:
        registered = client.wait(lambda m: m.get("method") == "client/registerCapability")
        watchers = registered["params"]["registrations"][0]["registerOptions"]["watchers"]
        assert any(".asl-lint" in watcher["globPattern"] for watcher in watchers)
        flow = workspace / "flow.asl.json"
        flow.write_text('{"StartAt": "Put", "States": {"Put": {"Type": "Task", "Resource":'
                        ' "arn:aws:states:::dynamodb:putItem", "Parameters": {"TableName": "${OrdersTable}"},'
                        ' "End": true}}}\n', encoding="utf-8")
        uri = client.open("flow.asl.json", flow.read_text(encoding="utf-8"))
        assert "ASL009" not in by_rule(client.diagnostics(uri, 1))
        template = workspace / "template.yaml"
        text = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n"
                "    Properties:\n      DefinitionUri: flow.asl.json\n      DefinitionSubstitutions:\n"
                "        OrderTable: orders\n")
        template.write_text(text, encoding="utf-8")  # a branch switched: a template that reads it appears
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": template.as_uri(), "type": 1}]})
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                    and "ASL009" in by_rule(m["params"]["diagnostics"]))
        template.write_text(text.replace("OrderTable", "OrdersTable"), encoding="utf-8")
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": template.as_uri(), "type": 2}]})
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                    and "ASL009" not in by_rule(m["params"]["diagnostics"]))
        (workspace / ".asl-lint.yaml").write_text("ignore: [ASL406]\n", encoding="utf-8")
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": (workspace / ".asl-lint.yaml").as_uri(),
                                                                        "type": 1}]})
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
    finally:
        client.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's memory from /proc")
def test_edits_do_not_grow_the_server(client: Client) -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}'
    uri = client.open("flow.asl.json", text)
    client.diagnostics(uri, 1)

    def resident_kib() -> int:
        status = Path(f"/proc/{client.process.pid}/status").read_text(encoding="utf-8")
        return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])

    version = 1
    for _ in range(500):  # warm up: what a first round of edits allocates once
        version += 1
        client.change(uri, version, text + " " * (version % 3))
    client.diagnostics(uri, version, timeout=120)
    before = resident_kib()
    for _ in range(2000):
        version += 1
        client.change(uri, version, text + " " * (version % 3))
    client.diagnostics(uri, version, timeout=120)
    assert (resident_kib() - before) / 2000 < 0.5  # pygls kept a future per notification: about 2 KiB an edit


def test_completion_of_a_request_from_the_api_it_calls(client: Client) -> None:
    text = ('{"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,\n'
            '  "Resource": "arn:aws:states:::aws-sdk:s3:getObject",\n'
            '  "Parameters": {"Bucket": "b"}}}}\n')
    uri = client.open("flow.asl.json", text)
    client.diagnostics(uri, 1)
    typing = text.replace('{"Bucket": "b"}', '{"Bucket": "b",\n    "\n  }')
    client.change(uri, 2, typing)
    found = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": 3, "character": 5}})["result"]
    assert found[0]["label"] == "Key" and found[0]["detail"].startswith("required")  # required first
    assert "Bucket" not in [item["label"] for item in found] and "VersionId" in [item["label"] for item in found]


def test_completion_offers_the_variables_of_the_scopes_around_the_cursor(client: Client) -> None:
    text = ('{"QueryLanguage": "JSONata", "StartAt": "P", "States": {\n'
            '  "P": {"Type": "Parallel", "Assign": {"outer": 1}, "Next": "Q", "Branches": [{"StartAt": "B",\n'
            '    "States": {"B": {"Type": "Pass", "Assign": {"inner": 2}, "Output": "{% $ %}", "End": true}}}]},\n'
            '  "Q": {"Type": "Pass", "Output": "{% $ %}", "End": true}\n'
            '}}\n')
    uri = client.open("flow.asl.json", text)
    client.diagnostics(uri, 1)
    for line, expected in ((2, ["outer", "inner", "states"]), (3, ["outer", "states"])):
        row = text.splitlines()[line]
        assert _labels(client, uri, {"line": line, "character": row.index("{% $") + 4}) == expected
