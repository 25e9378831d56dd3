"""Exceptions of the runner package."""


class RunnerUnavailable(Exception):
    """The test infrastructure failed (daemon down, image missing): retry later.

    Anything caused by the candidate's code is a RunResult instead, never this.
    """


class RunnerBuildError(RunnerUnavailable):
    """A runner image could not be built."""
