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
]


def _inputs() -> list[str]:
    found = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "fixtures" / "examples").rglob("*.tf"))]
    if CORPUS.is_dir():
        found += [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*.tf"))]
    return TRICKY + found


def _nodes(parsed: hcl.HclFile) -> list[tuple]:
    rows, stack = [], [parsed.root]
    while stack:
        node = stack.pop()
        rows.append((node.type, parsed.start(node), parsed.end(node), parsed.source(node)))
        stack.extend(reversed(node.children))
    return rows


@pytest.mark.parametrize("text", _inputs())
def test_squeezed_parse_gives_the_tree_and_positions_of_the_text(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    squeezed = _nodes(hcl.HclFile(text))
    monkeypatch.setattr(hcl, "_squeezed", lambda data: (data, [], []))
    assert squeezed == _nodes(hcl.HclFile(text))


def test_indentation_is_what_is_taken_out() -> None:
    squeezed, _, _ = hcl._squeezed(b"  a   = 1  \n\tb = 2\n   \n")
    assert squeezed == b"a   = 1  \nb = 2\n\n"
