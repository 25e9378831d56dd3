"""Files in a submission that could try to change how the tests run, flagged for reviewers.
Shared by both sides of grading; imports nothing else (the worker side never imports the ORM).

Python's own (conftest.py, pytest.ini, sitecustomize.py, *.pth...) are not listed: the hidden
tests run in a judge that never reads the submission's configuration or imports its code, so
they change nothing and a candidate's honest conftest.py is no reason for a warning.
"""

TAMPER_NAMES = {
    "Dockerfile": "candidates never supply images; a Dockerfile is ignored",
    ".npmrc": "an .npmrc can change how node resolves packages",
}
