"""The exceptions the submission raises, rebuilt in the judge from their description."""

from __future__ import annotations

import builtins
import sys
from typing import Any

from . import codec
from .proxies import RemoteModule, type_key

_EXCEPTIONS: dict[tuple[str, str], type[BaseException]] = {}


class SubmissionCrashed(RuntimeError):
    """The submission's process ended while the hidden tests were talking to it."""


def exception_class(mro: list[dict[str, Any]], builtin: str) -> type[BaseException]:
    """A judge-side exception class standing for the submission's, with the same name and a
    chain of parents down to the classes the judge has itself (built-in exceptions, the
    standard library's), so that ``pytest.raises`` works with either."""
    made: type[BaseException] = Exception
    for key in reversed([type_key(t) for t in mro]):
        if key == ("builtins", "object"):
            continue
        real = _local_exception(key)
        if real is not None:
            if issubclass(real, made):
                made = real
            continue
        known = _EXCEPTIONS.get(key)
        if known is None:
            known = type(key[1].rsplit(".", 1)[-1], (made,), {"__module__": key[0]})
            _EXCEPTIONS[key] = known
        made = known
    if made is Exception and builtin != "Exception":
        found = getattr(builtins, builtin, None)
        if isinstance(found, type) and issubclass(found, BaseException):
            made = found
    return made


def _local_exception(key: tuple[str, str]) -> type[BaseException] | None:
    """The exception class ``key`` names if the judge has it itself (never the submission's)."""
    found: Any = sys.modules.get(key[0])
    if found is None or isinstance(found, RemoteModule):
        return None
    for part in key[1].split("."):
        found = getattr(found, part, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def remote_error(error: Any) -> BaseException:
    """The exception the submission raised, rebuilt here from its description."""
    if not isinstance(error, dict):
        return SubmissionCrashed(str(error))
    mro = error.get("mro") or []
    builtin = str(error.get("builtin") or "Exception")
    own = type_key(mro[0]) if mro else ("builtins", builtin)
    cls = getattr(builtins, own[1]) if own[0] == "builtins" and hasattr(builtins, own[1]) \
        else exception_class(mro, builtin)
    args = error.get("args")
    try:
        values = codec.decode(args, lambda _d: "<object>") if args is not None else None
        exc = cls(*values) if isinstance(values, list) else cls(str(error.get("message", "")))
    except Exception:  # noqa: BLE001 - an exception whose constructor wants other arguments
        exc = Exception.__new__(cls)
        exc.args = (str(error.get("message", "")),)
    trace = str(error.get("traceback") or "")
    if trace and hasattr(exc, "add_note"):
        exc.add_note("Raised in the submission's process:\n" + trace)
    return exc
