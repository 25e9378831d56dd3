"""Files in a submission that could try to change how the tests run, flagged for reviewers.
Shared by both sides of grading; imports nothing else (the worker side never imports the ORM)."""

TAMPER_NAMES = {
    "conftest.py": "a conftest.py can change how pytest collects and reports tests",
    "pytest.ini": "a pytest.ini can change pytest's options",
    "tox.ini": "a tox.ini can carry pytest options",
    "setup.cfg": "a setup.cfg can carry pytest options",
    "pyproject.toml": "a pyproject.toml can carry pytest options",
    "sitecustomize.py": "sitecustomize.py runs at interpreter start-up",
    "usercustomize.py": "usercustomize.py runs at interpreter start-up",
    "Dockerfile": "candidates never supply images; a Dockerfile is ignored",
    ".npmrc": "an .npmrc can change how node resolves packages",
}
