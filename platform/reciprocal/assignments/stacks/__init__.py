"""The stacks `reciprocal assignments new --stack NAME` scaffolds from: one folder each, laid
out as an assignment (assignment.toml, starter/, solution/, tests/, wrong/, and environment/
where the stack needs an image of its own), each with one small task that validates as is.

A stack's folder is package data, read by assignments/scaffold.py with these conventions:

- solution/ and wrong/ hold only what differs from starter/: the scaffold's solution is the
  starter with the solution's files laid over it, and so is its wrong solution;
- ``{{slug}}`` and ``{{title}}`` in assignment.toml and in *.md and *.json files become the new
  assignment's slug and title;
- a file named ``gitignore`` is written as ``.gitignore`` (package data leaves dotfiles out).

The environments keep the shipped assignments' Dockerfile lines and package lists
(fastapi-postgres those of room-bookings, react-browser those of delivery-slots), so Docker's
layer cache builds one after the other almost for free.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent

# name -> what it scaffolds, in the order `--help` lists them
STACKS: dict[str, str] = {
    "python": "Python, pytest in the judge (built-in runner)",
    "node": "JavaScript, node:test (built-in runner)",
    "go": "Go, go test (built-in runner)",
    "fastapi-postgres": "an environment: FastAPI, SQLAlchemy, PostgreSQL, over HTTP",
    "react-browser": "an environment: React, TypeScript, Chromium, screenshots",
    "command": "an environment: any tool writing JUnit XML (here Bats)",
}
# `--language` as it was: each built-in runner's language names its stack.
LANGUAGES: dict[str, str] = {"python": "python", "javascript": "node", "node": "node",
                             "go": "go"}


def folder(name: str) -> Path:
    """The template folder of stack ``name`` (one of STACKS)."""
    return ROOT / name
