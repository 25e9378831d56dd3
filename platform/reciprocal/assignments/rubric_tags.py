"""Which hidden tests a rubric criterion's `tests` tags pick out (pure: no database, no Docker).

A stored test result has a classname and a name (runner/junit.py, and the harness's junit.py in
runners/harness/reciprocal_harness/); its id is `classname::name`:

    python  test_hidden_api.py::test_healthz       pytest's node id, relative to tests/
            test_x.py::TestCart::test_total[eur]   (a class, a parameter)
    node    client.test.js::retries on 503          the file relative to tests/, the test's title
    go      example.com/logdigest::TestTopN/zero    the package's import path, the (sub)test

A tag picks out a test when it is the test's id or its name, or a leading part of either that
stops where the id goes on with "::", "/" or "[": a file, a folder, a class, a package, or a
test with all its parameters or subtests. So `test_hidden_api.py`, `TestTopN` and
`client.test.js::retries on 503` all work, while `test_total` never picks out
`test_total_with_vat`. A `*` in a tag matches any run of characters over the whole id or name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Protocol

SEPARATORS = ("::", "/", "[")
MAX_TAGS = 200
MAX_TAG_LENGTH = 500


class NamedTest(Protocol):
    """A test result as any layer keeps it: TestOutcome, TestResult or a plain row."""

    @property
    def name(self) -> str: ...

    @property
    def classname(self) -> str: ...


def full_id(classname: str, name: str) -> str:
    """How a test is named across the platform: `classname::name`, or the name alone."""
    return f"{classname}::{name}" if classname else name


@cache
def _glob(tag: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in tag.split("*")), re.S)


def _leads(tag: str, text: str) -> bool:
    return text == tag or (text.startswith(tag) and text[len(tag):].startswith(SEPARATORS))


def matches(tag: str, classname: str, name: str) -> bool:
    """Whether `tag` picks out the test `classname::name` (the rules are in the module doc)."""
    full = full_id(classname, name)
    if "*" in tag:
        pattern = _glob(tag)
        return bool(pattern.fullmatch(full) or pattern.fullmatch(name))
    return _leads(tag, full) or _leads(tag, name)


def select(tags: Iterable[str], tests: Iterable[NamedTest]) -> list[NamedTest]:
    """The tests any of `tags` picks out, in the given order, each once."""
    tags = list(tags)
    return [t for t in tests if any(matches(tag, t.classname, t.name) for tag in tags)]


def unmatched(tags: Iterable[str], tests: Sequence[NamedTest]) -> list[str]:
    """The tags that pick out none of `tests`."""
    return [tag for tag in tags if not any(matches(tag, t.classname, t.name) for t in tests)]


def suggestion(tag: str, tests: Sequence[NamedTest]) -> str:
    """A hint for a tag that matches nothing: the closest test id, file or name, else an
    example of how ids look."""
    candidates = sorted({full_id(t.classname, t.name) for t in tests}
                        | {t.classname for t in tests if t.classname}
                        | {t.name for t in tests})
    close = difflib.get_close_matches(tag, candidates, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    if not tests:
        return "the run reported no tests"
    example = full_id(tests[0].classname, tests[0].name)
    return f"ids look like {example!r} (files relative to tests/)"


def parse(value: object, label: str, problems: list[str]) -> tuple[str, ...]:
    """A criterion's `tests = [...]` as a tuple of tags; shape problems go to `problems`."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"rubric criterion {label!r}: tests must be a list of test names")
        return ()
    tags = [v.strip() for v in value]
    if any(not tag for tag in tags):
        problems.append(f"rubric criterion {label!r}: tests has an empty name")
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        problems.append(f"rubric criterion {label!r}: at most {MAX_TAGS} tests of at most "
                        f"{MAX_TAG_LENGTH} characters each")
    if len(set(tags)) != len(tags):
        problems.append(f"rubric criterion {label!r}: tests lists a name twice")
    return tuple(tag for tag in tags if tag)
