"""The assignment library as recruiters choose from it: every active assignment with what it
asks (kind, stack, skills, time cap) and, once used, how it went (candidates who took it, the
median time they took, the share that passed every hidden test); filters over those facets.

The figures come from two aggregate queries over every assignment at once; filtering and the
facets' counts are pure functions of the entries, so the page costs the same whatever the
filters are.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Assignment, GradingRun, GradingStatus, Invitation, Submission
from .spec import KINDS

# Time-cap filter: value -> (label, lowest minutes, highest minutes). The "up to" buckets nest,
# as a recruiter reads "up to 3 h" (a 2-hour assignment is one).
CAP_BUCKETS: dict[str, tuple[str, int, int | None]] = {
    "2h": ("Up to 2 h", 0, 120),
    "3h": ("Up to 3 h", 0, 180),
    "4h": ("Up to 4 h", 0, 240),
    "longer": ("Longer than 4 h", 241, None),
}
FACETS = ("stack", "skill", "cap", "kind")
FINISHED = tuple(status.value for status in GradingStatus if status.finished)


@dataclass(frozen=True)
class Stats:
    """How an assignment went: invitations whose clock was started, submissions, the median
    seconds from start to submission, and submissions whose latest run finished (`graded`)
    and passed."""

    started: int = 0
    submitted: int = 0
    median_seconds: float | None = None
    graded: int = 0
    passed: int = 0

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(self.graded, self.passed)

    @property
    def used(self) -> bool:
        return self.started > 0


@dataclass(frozen=True)
class Entry:
    """One assignment as the library shows it: plain values, so a template reads no row."""

    slug: str
    title: str
    summary: str
    kind: str
    stack: tuple[str, ...]
    skills: tuple[str, ...]
    time_cap_minutes: int
    stats: Stats = field(default_factory=Stats)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Filters:
    """The library's filters, as the GET form sends them; empty means any."""

    stack: str = ""
    skill: str = ""
    cap: str = ""
    kind: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Read the query string; an unknown time cap or kind is no filter (a stale link still
        opens the library), an unknown technology or skill is a filter nothing matches."""
        cap = (args.get("cap") or "").strip()
        kind = (args.get("kind") or "").strip()
        return cls(stack=(args.get("stack") or "").strip()[:100],
                   skill=(args.get("skill") or "").strip()[:200],
                   cap=cap if cap in CAP_BUCKETS else "",
                   kind=kind if kind in KINDS else "")

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FACETS)

    def without(self, facet: str) -> Filters:
        return replace(self, **{facet: ""})


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class LibraryPage:
    filters: Filters
    entries: list[Entry]
    total: int
    facets: dict[str, list[Option]]


# Pure helpers ------------------------------------------------------------------------------


def median(values: Iterable[float]) -> float | None:
    """The median, or None with nothing to take it of."""
    values = list(values)
    return float(statistics.median(values)) if values else None


def pass_rate(graded: int, passed: int) -> float | None:
    """The share of graded submissions that passed, or None before any was graded."""
    return passed / graded if graded else None


def in_cap_bucket(minutes: int, bucket: str) -> bool:
    _label, low, high = CAP_BUCKETS[bucket]
    return minutes >= low and (high is None or minutes <= high)


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def matches(entry: Entry, filters: Filters) -> bool:
    """Whether the entry passes every filter set: a technology anywhere in its stack, a skill
    among its skills (both regardless of case), its time cap in the bucket, its kind."""
    if filters.stack and not any(_same(t, filters.stack) for t in entry.stack):
        return False
    if filters.skill and not any(_same(s, filters.skill) for s in entry.skills):
        return False
    if filters.cap and not in_cap_bucket(entry.time_cap_minutes, filters.cap):
        return False
    return not (filters.kind and entry.kind != filters.kind)


def apply(entries: Iterable[Entry], filters: Filters) -> list[Entry]:
    return [entry for entry in entries if matches(entry, filters)]


def _distinct(values: Iterable[str]) -> list[str]:
    """Each value once (the first spelling seen, regardless of case), sorted for people."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return sorted(seen.values(), key=str.casefold)


def facets(entries: list[Entry], filters: Filters) -> dict[str, list[Option]]:
    """Each filter's options with how many entries each would show, the other filters kept
    (so a count is what choosing that option gives), after a first option "Any" (value "").
    A chosen value no entry has (an old link) is listed too, with 0, so the form still shows
    what is chosen."""
    values: dict[str, list[tuple[str, str]]] = {
        "stack": [(t, t) for t in _distinct(t for e in entries for t in e.stack)],
        "skill": [(s, s) for s in _distinct(s for e in entries for s in e.skills)],
        "cap": [(value, label) for value, (label, _low, _high) in CAP_BUCKETS.items()],
        "kind": list(KINDS.items()),
    }
    result: dict[str, list[Option]] = {}
    for facet, options in values.items():
        chosen = getattr(filters, facet)
        if chosen and not any(_same(value, chosen) for value, _label in options):
            options = [*options, (chosen, chosen)]
        others = apply(entries, filters.without(facet))
        result[facet] = [Option("", "Any", len(others), not chosen)] + [
            Option(value, label, len(apply(others, replace(filters.without(facet),
                                                              **{facet: value}))),
                   bool(chosen) and _same(value, chosen))
            for value, label in options
        ]
    return result


# Reads -------------------------------------------------------------------------------------


def statistics_by_assignment(assignment_ids: Collection[int] | None = None) -> dict[int, Stats]:
    """Stats of every assignment (or of these), in two queries whatever their number.

    A submission is graded when its latest grading run (a re-score's preview does not count
    until confirmed, as on every other page) has finished; it passed when that run's status is
    passed, which the verdict gives only when no hidden test failed or errored (an altered
    report is an error). The time taken is what the platform recorded at submission: from the
    candidate's Start to their Submit, extra time granted included."""
    latest = (
        select(GradingRun.submission_id, func.max(GradingRun.id).label("run_id"))
        .where(GradingRun.purpose != "preview")
        .group_by(GradingRun.submission_id)
        .subquery()
    )
    counts = (
        select(
            Invitation.assignment_id,
            func.count(Invitation.started_at),
            func.count(Submission.id),
            func.count(case((GradingRun.status.in_(FINISHED), 1))),
            func.count(case((GradingRun.status == GradingStatus.PASSED.value, 1))),
        )
        .select_from(Invitation)
        .outerjoin(Submission, Submission.invitation_id == Invitation.id)
        .outerjoin(latest, latest.c.submission_id == Submission.id)
        .outerjoin(GradingRun, GradingRun.id == latest.c.run_id)
        .group_by(Invitation.assignment_id)
    )
    times = select(Invitation.assignment_id, Submission.time_used_seconds).join(
        Submission, Submission.invitation_id == Invitation.id)
    if assignment_ids is not None:
        counts = counts.where(Invitation.assignment_id.in_(assignment_ids))
        times = times.where(Invitation.assignment_id.in_(assignment_ids))
    taken: dict[int, list[int]] = {}
    for assignment_id, seconds in db.session.execute(times):
        taken.setdefault(assignment_id, []).append(seconds)
    return {
        assignment_id: Stats(started=started, submitted=submitted,
                             median_seconds=median(taken.get(assignment_id, [])),
                             graded=graded, passed=passed)
        for assignment_id, started, submitted, graded, passed in db.session.execute(counts)
    }


def entry_of(assignment: Assignment, stats: Stats | None = None) -> Entry:
    return Entry(slug=assignment.slug, title=assignment.title, summary=assignment.summary,
                 kind=assignment.kind, stack=tuple(assignment.stack or ()),
                 skills=tuple(assignment.skills or ()),
                 time_cap_minutes=assignment.time_cap_minutes, stats=stats or Stats())


def entries() -> list[Entry]:
    """Every active assignment, by title, with its stats."""
    assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.active.is_(True)).order_by(Assignment.title)))
    figures = statistics_by_assignment()
    return [entry_of(a, figures.get(a.id)) for a in assignments]


def page(filters: Filters, source: Callable[[], list[Entry]] = entries) -> LibraryPage:
    """The library filtered, with each filter's counts."""
    everything = source()
    return LibraryPage(filters=filters, entries=apply(everything, filters),
                       total=len(everything), facets=facets(everything, filters))
