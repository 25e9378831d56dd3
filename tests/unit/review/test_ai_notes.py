"""The git-ai note parser and the attribution of a file's lines (pure logic)."""

from __future__ import annotations

import json

from reciprocal.git.notes import BlameLine, parse_porcelain
from reciprocal.review import ai_notes

C1 = "a" * 40
C2 = "b" * 40

NOTE = """src/app.py
  d9978a8723e02b52 1-4,9-10,12
  e5be5f8723e02b52 20
"src/my file.py"
  d9978a8723e02b52 7
---
""" + json.dumps({
    "schema_version": "authorship/3.0.0",
    "prompts": {
        "d9978a8723e02b52": {"agent_id": {"tool": "cursor", "model": "claude-4.5-opus"}},
        "e5be5f8723e02b52": {"agent_id": {"tool": "copilot", "model": "copilot"}},
    },
})


def test_parses_the_documented_shape() -> None:
    log = ai_notes.parse(NOTE)
    assert set(log.files) == {"src/app.py", "src/my file.py"}
    assert log.agent_at("src/app.py", 1) == "cursor (claude-4.5-opus)"
    assert log.agent_at("src/app.py", 4) == "cursor (claude-4.5-opus)"
    assert log.agent_at("src/app.py", 5) is None
    assert log.agent_at("src/app.py", 12) == "cursor (claude-4.5-opus)"
    assert log.agent_at("src/app.py", 20) == "copilot"
    assert log.agent_at("src/my file.py", 7) == "cursor (claude-4.5-opus)"
    assert log.agent_at("other.py", 1) is None


def test_tolerates_missing_or_broken_metadata_and_crlf() -> None:
    log = ai_notes.parse("a.py\r\n\tabcdef1 3-5\r\n---\r\n{not json")
    assert log.agent_at("a.py", 4) == ai_notes.UNNAMED
    assert ai_notes.parse("a.py\n  abcdef1 2\n").agent_at("a.py", 2) == ai_notes.UNNAMED


def test_ignores_nonsense_and_refuses_what_is_out_of_bounds() -> None:
    text = ("  orphan 1-3\na.py\n  nothex 1-3\n  abcdef1 0-2,5-3,7\n  abcdef1 1 extra\n"
            f"  abcdef1 {ai_notes.MAX_LINE + 1}\n\n---\n[]")
    log = ai_notes.parse(text)
    assert log.agent_at("a.py", 7) == ai_notes.UNNAMED
    assert [log.agent_at("a.py", n) for n in (1, 2, 5)] == [None, None, None]
    assert ai_notes.parse("").files == {}
    assert ai_notes.parse("---\n" + "x" * 100).files == {}


def test_agent_names_are_cut_and_stripped_of_control_characters() -> None:
    meta = {"prompts": {"abcdef1": {"agent_id": {
        "tool": "evil\u202e\x1b[31m<script>" + "x" * 200, "model": 42}}}}
    log = ai_notes.parse("a.py\n  abcdef1 1\n---\n" + json.dumps(meta))
    label = log.agent_at("a.py", 1)
    assert label is not None and len(label) <= ai_notes.MAX_LABEL
    assert "\u202e" not in label and "\x1b" not in label
    assert label.startswith("evil[31m<script>")  # escaped by the templates, never trusted


def test_overlapping_ranges_keep_the_first() -> None:
    log = ai_notes.parse("a.py\n  aaaaaaa 1-5\n  bbbbbbb 3-8\n---\n" + json.dumps({"prompts": {
        "aaaaaaa": {"agent_id": {"tool": "one"}}, "bbbbbbb": {"agent_id": {"tool": "two"}}}}))
    assert [log.agent_at("a.py", n) for n in (1, 5, 6, 8, 9)] == ["one", "one", "two", "two",
                                                                   None]


def test_lines_are_attributed_by_the_note_of_the_commit_that_wrote_them() -> None:
    logs = {C1: ai_notes.parse("old.py\n  abcdef1 2-3\n"),
            C2: ai_notes.parse("new.py\n  abcdef1 1\n")}
    origins = [BlameLine(C1, "old.py", 1), BlameLine(C1, "old.py", 2), BlameLine(C2, "new.py", 1),
               BlameLine(C2, "new.py", 2), BlameLine("c" * 40, "new.py", 1)]
    agents = ai_notes.attribute(origins, logs)
    assert agents == [None, ai_notes.UNNAMED, ai_notes.UNNAMED, None, None]
    marked = ai_notes.marked(agents)
    assert marked.keys == {2: 0, 3: 0} and marked.legend == [(ai_notes.UNNAMED, [(2, 3)])]
    assert marked.count == 2


def test_marked_groups_agents_in_order_of_appearance() -> None:
    marked = ai_notes.marked(["b", "b", None, "a", "b"])
    assert marked.legend == [("b", [(1, 2), (5, 5)]), ("a", [(4, 4)])]
    assert marked.keys == {1: 0, 2: 0, 4: 1, 5: 0}


def test_blame_porcelain_keeps_each_commits_path() -> None:
    output = (f"{C1} 1 1 2\nauthor x\nfilename \"dir/sp ace.py\"\n\tline one\n"
              f"{C1} 2 2\n\tline two\n{C2} 5 3 1\nfilename b.py\n\tline three\n")
    assert parse_porcelain(output) == [
        BlameLine(C1, "dir/sp ace.py", 1), BlameLine(C1, "dir/sp ace.py", 2),
        BlameLine(C2, "b.py", 5)]
