"""A realistic demo pipeline for `make run`: about 30 candidates across the assignment library
at every stage (invited, started, submitted, graded, reviewed by two reviewers with comments and
scorecards, decided and answered, with the candidates' feedback).

Everything goes through the platform's own services: invitations, terms, start, an archive
upload of the candidate's tree, submit (which lets each role's panel assign two reviewers),
comments, scorecards, decisions, messages, feedback. Grading alone is not run in containers at
seed time: for graded candidates the seed claims the run and records a result through
`grading.operations.record_result`, the path a worker's result takes, with the names of the
assignment's real hidden tests. Submitted-but-not-graded candidates are left to the workers
that `reciprocal serve` starts.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from .assignments import operations as assignments
from .candidates import disclosure, roles
from .candidates import operations as invitations
from .candidates.terms import current_terms
from .core.errors import ReciprocalError
from .extensions import db
from .grading import operations as grading
from .models import Invitation, Role, Submission, User
from .outcomes import feedback
from .outcomes import operations as outcomes
from .review import operations as review
from .review import panels, snippets
from .review.queries import reviewers_of

EMAIL_DOMAIN = "candidates.example"
ROLES = {
    "Frontend Engineer": {
        "team": "Checkout Experience", "salary_min": 62000, "salary_max": 78000,
        "currency": "EUR",
        "mission": "Make checkout fast, accessible and trusted on every device, and help us "
        "build the component library the rest of the company uses.",
        "requirements": ["Accessible, semantic front-end components",
                         "Reliable handling of network failures",
                         "Tests that describe behaviour"],
        "stages": ["Take-home assignment (you choose when to start)",
                   "Two engineers review your code", "A 60-minute conversation about your code",
                   "Decision, with reasons, within 5 business days"],
        "response_days": 5,
    },
    "Platform Engineer (Go)": {
        "team": "Observability", "salary_min": 72000, "salary_max": 90000, "currency": "EUR",
        "mission": "Own the pipelines that turn our traffic into the numbers on-call engineers "
        "trust at three in the morning.",
        "requirements": ["Correct streaming data processing", "Clear, idiomatic Go",
                         "Tests that pin down edge cases"],
        "stages": ["Take-home assignment (you choose when to start)",
                   "Two engineers review your code", "A conversation about your code",
                   "Decision, with reasons, within 4 business days"],
        "response_days": 4,
    },
}
ROLE_OF = {"pricing-table": "Frontend Engineer", "rest-client": "Frontend Engineer",
           "log-digest": "Platform Engineer (Go)"}  # the others: the demo's Backend Engineer

# (name, assignment, stage, strong?) -- stage: invited, started, submitted, graded, reviewed,
# decided. Strong candidates submit the reference solution; the others leave a part undone.
PEOPLE = [
    ("Amara Okafor", "customer-directory", "decided", True),
    ("Bruno Costa", "customer-directory", "decided", False),
    ("Chen Wei", "customer-directory", "reviewed", True),
    ("Dana Levi", "customer-directory", "graded", False),
    ("Elif Kaya", "customer-directory", "graded", True),
    ("Farah Haddad", "customer-directory", "started", True),
    ("Gabriel Silva", "customer-directory", "invited", True),
    ("Hana Sato", "invoice-bugfix", "decided", True),
    ("Ivan Petrov", "invoice-bugfix", "reviewed", False),
    ("Julia Novak", "invoice-bugfix", "graded", True),
    ("Kwame Mensah", "invoice-bugfix", "submitted", True),
    ("Lena Fischer", "invoice-bugfix", "invited", True),
    ("Mateo Rojas", "orders-reconcile", "decided", False),
    ("Nadia Rahman", "orders-reconcile", "reviewed", True),
    ("Omar Farouk", "orders-reconcile", "graded", False),
    ("Priya Nair", "orders-reconcile", "started", True),
    ("Quinn Murphy", "timeseries-store", "decided", True),
    ("Rosa Jiménez", "timeseries-store", "graded", True),
    ("Samir Aziz", "timeseries-store", "invited", True),
    ("Tomás Byrne", "pricing-table", "decided", True),
    ("Uma Patel", "pricing-table", "reviewed", False),
    ("Victor Hugo Lima", "pricing-table", "graded", True),
    ("Wen Zhao", "pricing-table", "started", True),
    ("Ximena Torres", "rest-client", "reviewed", True),
    ("Yusuf Demir", "rest-client", "graded", False),
    ("Zoe Adams", "rest-client", "invited", True),
    ("Aiko Tanaka", "log-digest", "decided", False),
    ("Ben Carter", "log-digest", "graded", True),
    ("Carla Mendes", "log-digest", "submitted", False),
    ("Dmitri Volkov", "log-digest", "invited", True),
]
ORDER = ("invited", "started", "submitted", "graded", "reviewed", "decided")
SOURCE = (".py", ".go", ".js", ".ts")
JOB_ID_NOTE = "demo seed"


@dataclass
class Seeded:
    candidates: int = 0
    submissions: int = 0


def _email(name: str) -> str:
    return re.sub(r"[^a-z]+", ".", name.lower().encode("ascii", "ignore").decode()).strip(".") \
        + "@" + EMAIL_DOMAIN


def _role_for(slug: str, default: Role) -> Role:
    title = ROLE_OF.get(slug)
    if title is None:
        return default
    role = db.session.scalar(select(Role).where(Role.title == title))
    if role is None:
        role = roles.create_role({"title": title, **ROLES[title]})
    return role


def _tree(version: Path, strong: bool) -> dict[str, bytes]:
    """The candidate's files: the starter with the solution over it; a weaker candidate keeps
    the starter's version of one source file (the part left undone)."""
    files: dict[str, bytes] = {}
    for side in ("starter", "solution"):
        root = version / side
        for path in sorted(root.rglob("*")):
            skip = "__pycache__" in path.parts or "node_modules" in path.parts
            if path.is_file() and not skip:
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    if not strong:
        starter = version / "starter"
        for name in sorted(files):
            original = starter / name
            if name.endswith(SOURCE) and "test" not in name and original.is_file() \
                    and original.read_bytes() != files[name]:
                files[name] = original.read_bytes()
                break
    return files


def _zip(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


_TEST_RE = re.compile(r"^\s*def (test_\w+)|^func (Test\w+)|\b(?:test|it)\(\s*['\"]([^'\"]+)",
                      re.M)


def _hidden_tests(version: Path) -> list[tuple[str, str]]:
    """(classname, test name) of the assignment's hidden tests, read from the files themselves,
    the classname as the runners record it (so the rubric's test tags pick them out)."""
    found = []
    for path in sorted((version / "tests").rglob("*")):
        if path.is_file() and path.suffix in SOURCE:
            for match in _TEST_RE.finditer(path.read_text(errors="replace")):
                found.append((_classname(version, path), next(g for g in match.groups() if g)))
    return found or [("tests", "test_hidden_suite")]


def _classname(version: Path, path: Path) -> str:
    """The file relative to tests/ (pytest, node), or the package's import path (go)."""
    rel = path.relative_to(version / "tests")
    if path.suffix != ".go":
        return rel.as_posix()
    go_mod = version / "solution" / "go.mod"
    found = re.search(r"^module\s+(\S+)", go_mod.read_text() if go_mod.is_file() else "", re.M)
    module = found.group(1) if found else "main"
    return module if rel.parent == Path(".") else f"{module}/{rel.parent.as_posix()}"


def _record_grading(submission: Submission, version: Path, strong: bool) -> None:
    run = submission.latest_run
    assert run is not None and run.rq_job_id is not None
    grading.claim(run.id, run.rq_job_id)
    tests = []
    names = _hidden_tests(version)
    for index, (classname, name) in enumerate(names):
        failed = not strong and index % 3 == 1
        tests.append({"name": name, "classname": classname, "duration": 0.02 + index / 500,
                      "candidate_id": f"{classname}::{name}",
                      "outcome": "failed" if failed else "passed",
                      "message": "AssertionError: the result differs from the documented "
                                 "behaviour for this case" if failed else ""})
    failures = sum(t["outcome"] == "failed" for t in tests)
    grading.record_result(run.id, run.rq_job_id, {
        "status": "failed" if failures else "passed",
        "passed": len(tests) - failures, "failed": failures, "errors": 0, "skipped": 0,
        "output": f"{len(tests)} hidden tests, {failures} failed ({JOB_ID_NOTE})",
        "duration_seconds": 4.2, "tests": tests,
    })


def _comment_target(files: dict[str, bytes]) -> tuple[str, int] | None:
    """The candidate's largest non-test source file and its line count."""
    sources = [(len(data.splitlines()), name) for name, data in files.items()
               if name.endswith(SOURCE) and "test" not in name.lower()]
    if not sources:
        return None
    lines, name = max(sources)
    return (name, lines) if lines >= 6 else None


REMARKS = [
    ("strength", "Clear names and small functions: this reads like the rest of our codebase."),
    ("concern", "This path does not handle an empty input; what should happen there?"),
    ("question", "Why this data structure here? Walk us through the trade-off you made."),
    ("strength", "Good call to validate at the boundary and keep the core pure."),
    ("concern", "The error message hides which record failed; operators will need it."),
    ("question", "How would this behave with ten times the data?"),
]


EVIDENCE = {
    "great": ("{} is handled with care throughout; the README's edge cases are all covered.",
              "{}: strong; I would merge this with at most a nit or two."),
    "good": ("{} is mostly solid; one case in the hidden tests shows a gap.",
             "{}: reasonable; I would ask for one small change."),
    "mediocre": ("{} is only partly addressed; the core path is unfinished.",
                 "{}: weak; several behaviours in the brief are missing."),
}
FEEDBACK = (
    "The brief was clear and the time cap was honest.",
    "Fair process; I would have liked one more example in the README.",
    "Good to see the rubric before starting. The repository setup just worked.",
    "Quick answer and a concrete reason. Thank you for the review comments.",
)


def _review(submission: Submission, reviewer: User, files: dict[str, bytes], strong: bool,
            turn: int) -> None:
    target = _comment_target(files)
    cited = None
    if target is not None:
        path, count = target
        for k in range(3):
            kind, body = REMARKS[(turn + k) % len(REMARKS)]
            line = max(1, min(count, 2 + (count - 2) * (k + 1) // 4 + 3 * (turn % 3)))
            comment = review.add_comment(submission, reviewer, path=path, line_start=line,
                                         line_end=min(count, line + (k % 2)), kind=kind, body=body)
            cited = cited or comment.id
    criteria = [c["name"] for c in submission.invitation.assignment.rubric or []]
    scores = {}
    for k, name in enumerate(criteria):
        level = "great" if strong and k % 2 == 0 else "good" if strong or k % 3 == 0 \
            else "mediocre"
        if (turn + k) % 4 == 3:  # reviewers do not always agree: one level lower here
            level = {"great": "good", "good": "mediocre"}.get(level, level)
        scores[name] = review.ScoreInput(
            level=level, comment_id=cited if k == 0 else None,
            evidence="" if k == 0 and cited else EVIDENCE[level][(turn + k) % 2].format(name))
    review.save_scorecard(submission, reviewer, scores,
                          recommendation=("strong_yes" if turn % 2 else "yes") if strong else "no",
                          summary="Solid work we would be glad to discuss." if strong else
                          "Promising, but a core part of the task is unfinished.", submit=True)


SNIPPETS = (
    ("Errors handled in one place", "strength",
     "Good: every error becomes a response in one place, so the handlers stay short and each "
     "rule is easy to find."),
    ("Bad input dropped silently", "concern",
     "Input that does not parse is dropped without a word. A count of what was skipped, or an "
     "error naming the line, would let a user trust the output."),
    ("How would this grow?", "question",
     "In the follow-up: how would you change this part if the input were ten times larger, and "
     "what would you measure first?"),
)


def _seed_snippets(assignment_ids: set[int], author: User) -> None:
    """A starting comment library for each assignment in the demo, so its comment boxes show
    what a team's library looks like."""
    for assignment_id in sorted(assignment_ids):
        for title, kind, body in SNIPPETS:
            snippets.create(assignment_id, author, title=title, body=body, kind=kind)


def _decide(submission: Submission, recruiter: User, strong: bool) -> None:
    requirements = submission.invitation.role.requirements
    reason = requirements[0] if strong else requirements[-1]
    outcomes.decide(submission, "advance" if strong else "reject", reason, actor=recruiter)
    try:
        outcomes.send(submission, actor=recruiter)
    except ReciprocalError:
        return  # a draft the tone check holds stays a draft, as it would for a recruiter
    feedback.give_candidate(submission.invitation, "decision", {
        "clarity": 5 if strong else 4, "fairness": 5 if strong else 3, "time_vs_cap": 4,
        "text": FEEDBACK[submission.id % len(FEEDBACK)]})


def _disclosure(strong: bool, turn: int) -> disclosure.Given:
    """What a demo candidate says about AI assistants: some used none, others say what for,
    one with a short transcript."""
    if turn % 3 == 2:
        return disclosure.Given(False, "", "", "")
    transcript = ("**Me:** How does Python's csv module treat a quoted comma?\n\n"
                  "**Assistant:** Inside double quotes a comma is data, not a separator...\n"
                  if strong else "")
    return disclosure.Given(
        True, "Autocomplete in my editor throughout. I asked a chat assistant how the standard "
              "library handles one edge case and wrote the rule myself.",
        transcript, "chat.md" if transcript else "")


def seed(default_role: Role, recruiter: User, reviewers: list[User]) -> Seeded:
    """Seed the pipeline once (skipped when demo candidates already exist)."""
    done = Seeded()
    if db.session.scalar(select(Invitation.id).where(
            Invitation.candidate_email.like(f"%@{EMAIL_DOMAIN}")).limit(1)) is not None:
        return done
    library = {a.slug: a for a in assignments.list_assignments()}
    pending: list[tuple[Submission, dict[str, bytes], str, bool]] = []
    for name, slug, stage, strong in PEOPLE:
        if slug not in library:
            continue
        role = _role_for(slug, default_role)
        for reviewer in reviewers:
            panels.add_member(role, reviewer, actor=recruiter)
        new = invitations.invite(slug, role.id, name, _email(name), actor=recruiter)
        done.candidates += 1
        invitation = new.invitation
        if ORDER.index(stage) < ORDER.index("started"):
            continue
        invitations.accept_terms(invitation)
        invitations.start(invitation)
        version = assignments.version_dir(invitation.assignment_version)
        files = _tree(version, strong)
        # The platform's own file of the starter, kept as the candidate's clone would keep it.
        files["OWNERSHIP.md"] = current_terms(current_app.config["RETENTION_DAYS"]) \
            .ownership_markdown(role.team, role.title).encode()
        if ORDER.index(stage) < ORDER.index("submitted"):
            continue
        invitations.upload(invitation, _zip(files), "solution.zip")
        submission = invitations.submit(invitation, via="portal",
                                        given=_disclosure(strong, done.submissions))
        done.submissions += 1
        if ORDER.index(stage) >= ORDER.index("graded"):
            _record_grading(submission, version, strong)
            pending.append((submission, files, stage, strong))
    _seed_snippets({library[slug].id for _name, slug, _stage, _strong in PEOPLE
                    if slug in library}, reviewers[0])
    for turn, (submission, files, stage, strong) in enumerate(pending):
        if ORDER.index(stage) < ORDER.index("reviewed"):
            continue
        for k, reviewer in enumerate(reviewers_of(submission)):
            _review(submission, reviewer, files, strong, turn + k)
        if stage == "decided":
            _decide(submission, recruiter, strong)
    return done

