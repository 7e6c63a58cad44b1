"""HCL positions: tree-sitter reads the text without its spacing, offsets come back exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from asl_lint.source import hcl

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "templates" / "terraform"

TRICKY = [
    'a    =   "x  y"\t\t# aligned\r\nb = 1\n',
    'r "t" {\n\tdefinition = <<-EOF\n\t  {"StartAt":   "A"}\n\t  EOF\n  other = "é  ✓"   \n}\n',
    'x = <<EOF\n    ${ foo(\n        bar)  }   %{ if  a }b%{ endif }\n  EOF\ny = [1,   2,\n     3]\n',
    '/*\n    commented   out\n*/\n   z =   "${"  nested  "}"\n',
    "    \n\n  a = 1",
    '  q = "   lead" # two   spaces\n  w = "\\t  \\"  x"\n',
    "# a comment that looks like <<EOF\nx = 1\nEOF = 2\n",  # no heredoc: nothing may be taken
    'x = <<EOF\n  {"a": "${ foo(\n    1) }",\n  "b": 2}\nEOF\n',  # an interpolation over two lines
    'x = <<-EOT\n    {"StartAt": "A",\n     "States": {"A": {"Type": "Pass", "End": true}}}\n    EOT\n',
]


def _inputs() -> list[str]:
    found = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "fixtures" / "examples").rglob("*.tf"))]
    if CORPUS.is_dir():
        found += [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*.tf"))]
    return TRICKY + found


def _nodes(parsed: hcl.HclFile) -> list[tuple]:
    """Every node with its place and text, but the chunks of a heredoc's literal text:
    asl-lint reads that text from the file, between the other nodes."""
    rows, stack = [], [parsed.root]
    while stack:
        node = stack.pop()
        if not (node.type == "template_literal" and node.parent.type == "heredoc_template"):
            rows.append((node.type, parsed.start(node), parsed.end(node), parsed.source(node)))
        stack.extend(reversed(node.children))
    return rows


@pytest.mark.parametrize("text", _inputs())
def test_squeezed_parse_gives_the_tree_and_positions_of_the_text(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    squeezed = _nodes(hcl.HclFile(text))
    monkeypatch.setattr(hcl, "_squeezed", lambda data, heredocs=True: (data, [], [], []))
    assert squeezed == _nodes(hcl.HclFile(text))


def test_indentation_and_literal_heredoc_lines_are_what_is_taken_out() -> None:
    squeezed, _, _, literal = hcl._squeezed(b"  a   = 1  \n\tb = <<EOF\n   {\"x\": 1,\n  \"y\": \"${z}\"}\n  EOF\n")
    assert squeezed == b"a   = 1  \nb = <<EOF\n\n\"y\": \"${z}\"}\nEOF\n"
    assert literal == [2]


@pytest.mark.parametrize("text", ["# looks like <<EOF\nx = 1\nEOF = 2\n", 'x = <<EOF\n${ f(\n 1) }\nEOF\n'])
def test_lines_wrongly_taken_for_heredoc_text_are_parsed_after_all(text: str) -> None:
    _, _, _, literal = hcl._squeezed(text.encode())
    assert literal  # taken out at first: the check on the tree must put them back
    parsed = hcl.HclFile(text)
    assert parsed.first_error() is None and hcl._squeezed(text.encode(), heredocs=False)[1] == parsed._cuts
