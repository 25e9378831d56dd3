"""The review pages' code colours keep WCAG AA contrast on every background a line can have,
and the diff view escapes candidate text while marking the words that changed."""

from __future__ import annotations

from reciprocal.git.browse import DiffLine, FileDiff
from reciprocal.web.rendering import code_style, diffview


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_token_colour_meets_aa_on_every_background() -> None:
    colours = {code_style.INK}
    for _token, style in code_style.ReciprocalLight:
        if style["color"]:
            colours.add("#" + style["color"])
    assert len(colours) > 5
    for colour in colours:
        for name, background in code_style.BACKGROUNDS.items():
            assert contrast(colour, background) >= 4.5, (colour, name)


def test_the_stylesheet_scopes_every_rule_to_highlight() -> None:
    css = code_style.stylesheet()
    rules = [line for line in css.splitlines() if "{" in line]
    assert rules and all(line.startswith(".highlight") for line in rules)


def test_word_level_marks_escape_and_pair_changed_lines() -> None:
    diff = FileDiff("modified", "app.py", None, lines=[
        DiffLine("hunk", None, None, "@@ -1,2 +1,2 @@"),
        DiffLine("ctx", 1, 1, "import os"),
        DiffLine("del", 2, None, "x = compute(1, 2)  # <b>"),
        DiffLine("add", None, 2, "x = compute(1, 3)  # <b>"),
    ])
    view = diffview.view(diff, ["import os", "x = compute(1, 3)  # <b>", "", "print(x)"])
    deleted = next(r for r in view.unified if r.kind == "del").old
    added = next(r for r in view.unified if r.kind == "add").new
    assert '<span class="word"><span class="mi">2</span></span>' in deleted.html
    assert '<span class="word"><span class="mi">3</span></span>' in added.html
    assert "&lt;b&gt;" in added.html and "<b>" not in added.html
    assert '<span class="k' in str(view.unified[1].new.html)  # `import` is coloured
    change = next(r for r in view.split if r.kind == "change")
    assert change.old.number == 2 and change.new.number == 2
    folds = [r for r in view.unified if r.kind == "fold"]
    assert [f.text for f in folds] == ["2"]  # lines 3-4 of the new file, folded
    hidden = [r for r in view.unified if r.fold == folds[0].fold and r.kind == "ctx"]
    assert [r.new.number for r in hidden] == [3, 4] and [r.old.number for r in hidden] == [3, 4]


def test_unrelated_lines_get_no_word_marks() -> None:
    assert diffview.word_ranges("alpha beta gamma", "completely different words here") == ([], [])


def test_the_new_files_cached_highlighting_is_reused_for_unmarked_lines() -> None:
    from markupsafe import Markup

    new = ["import os", "x = compute(1, 3)", "print(x)"]
    cached = [Markup(f'<span class="cached">{n}</span>') for n in range(1, 4)]  # noqa: S704 - fixed test markup
    diff = FileDiff("modified", "app.py", None, lines=[
        DiffLine("hunk", None, None, "@@ -1,2 +1,2 @@"),
        DiffLine("ctx", 1, 1, "import os"),
        DiffLine("del", 2, None, "x = compute(1, 2)"),
        DiffLine("add", None, 2, "x = compute(1, 3)"),
    ])
    rows = diffview.view(diff, new, cached).unified
    context = next(r for r in rows if r.kind == "ctx" and r.new.number == 1)
    assert context.new.html == cached[0] and context.old.html == cached[0]
    added = next(r for r in rows if r.kind == "add")
    assert 'class="word"' in added.new.html  # marked lines are lexed afresh
    folded = [r for r in rows if r.fold and r.kind == "ctx"]
    assert [r.new.html for r in folded] == [cached[2]]


def test_a_deleted_files_cached_highlighting_is_its_old_side() -> None:
    from markupsafe import Markup

    cached = [Markup(f'<span class="old">{n}</span>') for n in (1, 2)]  # noqa: S704 - fixed test markup
    diff = FileDiff("deleted", "gone.py", None, lines=[
        DiffLine("hunk", None, None, "@@ -1,2 +0,0 @@"),
        DiffLine("del", 1, None, "a = 1"),
        DiffLine("del", 2, None, "b = 2"),
    ])
    rows = [r for r in diffview.view(diff, old_html=cached).unified if r.kind == "del"]
    assert [r.old.html for r in rows] == cached and all(r.new is None for r in rows)


def test_diff_rows_escape_hunk_headers_and_file_urls() -> None:
    from reciprocal.web.rendering.diff_rows import diff_rows

    diff = FileDiff("added", "a.py", None, lines=[
        DiffLine("hunk", None, None, "@@ -0,0 +1 @@ def <script>x()"),
        DiffLine("add", None, 1, "print('<b>')"),
    ])
    view = diffview.view(diff)
    for layout, rows in (("unified", view.unified), ("split", view.split)):
        html = "".join(str(markup) for _row, markup in diff_rows(rows, layout, '/code/"a".py'))
        assert "&lt;script&gt;" in html and "<script>" not in html and "<b>" not in html
        assert 'href="/code/&#34;a&#34;.py?line=1#comment-form"' in html
        assert 'aria-label="Comment on line 1"' in html
