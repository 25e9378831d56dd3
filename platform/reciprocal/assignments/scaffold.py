"""`reciprocal assignments new` and `import`: new folders that validate out of the box."""

from __future__ import annotations

import io
import shutil
import tempfile
import tomllib
from pathlib import Path
from string import Template

from ..core.archives import ArchiveLimits, extract_tar
from ..git.command import run_git
from .spec import SLUG_RE, load_spec

TOML = Template('''slug = "$slug"
title = "$title"
summary = "Replace this with one or two sentences a candidate reads first."
language = "$language"
runner = "$runner"
time_cap_minutes = 180
skills = ["Problem solving", "Testing"]
results_visible_to_candidate = true
evaluation = """
Reviewers read your code and score it with the rubric below; the hidden tests are one input.
"""

[[rubric]]
name = "Correctness"
description = "The behaviour matches the README."
# The hidden tests that bear on this criterion: the scorecard shows reviewers how they did.
tests = ["$tests"]
[rubric.levels]
great = "Every documented case works, including the edge cases."
good = "The common cases work; an edge case or two is missed."
mediocre = "Only the happy path works."

[[rubric]]
name = "Code design"
description = "The code is easy to read and to change."
[rubric.levels]
great = "Clear names and small functions; a colleague could extend it at once."
good = "Readable, with a few places that would need untangling."
mediocre = "Hard to follow; logic is tangled or duplicated."
''')

README = Template("""# $title

Welcome, and thank you for your time. This is your repository: you own the code you write.

## The task
Implement `word_count(text)` so that it returns how many words the text has.

## Running the visible tests
$run

Time cap: 3 hours. Commit and push as you go; submit from your candidate page when ready.
""")

PYTHON = {
    "starter/wordcount.py": 'def word_count(text: str) -> int:\n    """Count the words."""\n'
                            '    raise NotImplementedError("TODO")\n',
    "solution/wordcount.py": 'def word_count(text: str) -> int:\n    """Count the words."""\n'
                             "    return len(text.split())\n",
    "starter/tests/test_visible.py": "from wordcount import word_count\n\n\n"
                                     "def test_two_words():\n"
                                     '    assert word_count("hello world") == 2\n',
    "tests/test_hidden.py": "import pytest\nfrom wordcount import word_count\n\n\n"
                            '@pytest.mark.parametrize(("text", "expected"), [\n'
                            '    ("", 0), ("one", 1), ("a b c", 3), ("  spaced   out  ", 2),\n'
                            '    ("tabs\\tand\\nlines", 3),\n])\n'
                            "def test_word_count(text, expected):\n"
                            "    assert word_count(text) == expected, "
                            'f"word_count({text!r}) should be {expected}"\n',
}
JAVASCRIPT = {
    "starter/src/wordcount.js": "function wordCount(text) {\n  throw new Error('TODO');\n}\n"
                                "module.exports = { wordCount };\n",
    "solution/src/wordcount.js": "function wordCount(text) {\n"
                                 "  return text.split(/\\s+/).filter(Boolean).length;\n}\n"
                                 "module.exports = { wordCount };\n",
    "starter/test/visible.test.js": "const test = require('node:test');\n"
                                    "const assert = require('node:assert');\n"
                                    "const path = require('node:path');\n"
                                    "const root = process.env.SUBMISSION_DIR || "
                                    "path.join(__dirname, '..');\n"
                                    "const { wordCount } = require(path.join(root, "
                                    "'src/wordcount.js'));\n\n"
                                    "test('two words', () => assert.strictEqual("
                                    "wordCount('hello world'), 2));\n",
    "tests/hidden.test.js": "const test = require('node:test');\n"
                            "const assert = require('node:assert');\n"
                            "const path = require('node:path');\n"
                            "const { wordCount } = require(path.join(process.env.SUBMISSION_DIR, "
                            "'src/wordcount.js'));\n\n"
                            "for (const [text, expected] of [['', 0], ['one', 1], ['a b c', 3], "
                            "['  spaced   out  ', 2]]) {\n"
                            "  test(`counts ${JSON.stringify(text)}`, () => "
                            "assert.strictEqual(wordCount(text), expected));\n}\n",
}
GO = {
    "starter/go.mod": "module wordcount\n\ngo 1.19\n",
    "solution/go.mod": "module wordcount\n\ngo 1.19\n",
    "starter/wordcount.go": "package wordcount\n\n// Count returns the number of words.\n"
                            "func Count(text string) int {\n\tpanic(\"TODO\")\n}\n",
    "solution/wordcount.go": "package wordcount\n\nimport \"strings\"\n\n"
                             "// Count returns the number of words.\n"
                             "func Count(text string) int {\n"
                             "\treturn len(strings.Fields(text))\n}\n",
    "starter/visible_test.go": "package wordcount\n\nimport \"testing\"\n\n"
                                     "func TestTwoWords(t *testing.T) {\n"
                                     "\tif Count(\"hello world\") != 2 {\n"
                                     "\t\tt.Fatal(\"expected 2 words\")\n\t}\n}\n",
    "tests/hidden_test.go": "package wordcount\n\nimport \"testing\"\n\n"
                            "func TestCount(t *testing.T) {\n"
                            "\tcases := map[string]int{\"\": 0, \"one\": 1, \"a b c\": 3}\n"
                            "\tfor text, want := range cases {\n"
                            "\t\tt.Run(text, func(t *testing.T) {\n"
                            "\t\t\tif got := Count(text); got != want {\n"
                            "\t\t\t\tt.Fatalf(\"Count(%q) = %d, want %d\", text, got, want)\n"
                            "\t\t\t}\n\t\t})\n\t}\n}\n",
}
LANGUAGES = {
    "python": ("python", PYTHON, "    python3 -m pytest tests"),
    "javascript": ("node", JAVASCRIPT, "    node --test test/"),
    "go": ("go", GO, "    go test ./..."),
}
# The hidden tests the Correctness criterion is tagged with, as each runner names them.
CORRECTNESS_TESTS = {"python": "test_hidden.py::test_word_count", "javascript": "hidden.test.js",
                     "go": "TestCount"}


class ScaffoldError(Exception):
    pass


def scaffold(root: Path, slug: str, language: str) -> Path:
    """Create assignments/<slug>/ for `language` with a task that validates out of the box."""
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"slug {slug!r} must be lowercase letters, digits and dashes")
    if language not in LANGUAGES:
        raise ScaffoldError(f"language must be one of {', '.join(LANGUAGES)}")
    folder = root / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists")
    runner, files, run = LANGUAGES[language]
    title = slug.replace("-", " ").capitalize()
    folder.mkdir(parents=True)
    (folder / "assignment.toml").write_text(
        TOML.substitute(slug=slug, title=title, language=language, runner=runner,
                        tests=CORRECTNESS_TESTS[language]))
    for part in ("starter", "solution"):
        (folder / part).mkdir()
        (folder / part / "README.md").write_text(README.substitute(title=title, run=run))
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if language == "go":
        # Go keeps tests beside the code; the solution carries the same visible tests.
        shutil.copy(folder / "starter" / "visible_test.go", folder / "solution" / "visible_test.go")
    return folder


def import_folder(source: Path, root: Path) -> Path:
    """Import an assignment laid out like ours; from a git repository, its committed HEAD."""
    source = source.resolve()
    if not source.is_dir():
        raise ScaffoldError(f"{source} is not a folder")
    with tempfile.TemporaryDirectory(prefix="reciprocal-import-") as tmp:
        staging = Path(tmp) / "assignment"
        if (source / ".git").exists():
            tar = run_git(["archive", "--format=tar", "HEAD"], git_dir=source / ".git").stdout
            limits = ArchiveLimits(max_total_bytes=200 * 1024 * 1024)
            extract_tar(io.BytesIO(tar), staging, limits, allow_symlinks=False)
        else:
            shutil.copytree(source, staging, ignore=shutil.ignore_patterns(".git", "__pycache__",
                                                                           "node_modules"))
        named = Path(tmp) / _slug_from(staging)
        staging.rename(named)
        spec = load_spec(named)
        target = root / spec.slug
        if target.exists():
            raise ScaffoldError(f"assignment {spec.slug} already exists in {root}")
        shutil.copytree(named, target)
        return target


def _slug_from(folder: Path) -> str:

    try:
        data = tomllib.loads((folder / "assignment.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScaffoldError(f"assignment.toml cannot be read: {exc}") from None
    slug = str(data.get("slug", ""))
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"assignment.toml has no valid slug ({slug!r})")
    return slug
