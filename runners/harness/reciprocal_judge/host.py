"""The submission's side of the boundary: imports the candidate's modules and answers the
judge's requests. Runs as the candidate's uid, in /work/submission, with its socket on fd 3.

``python3 -I -B /opt/reciprocal/reciprocal_judge/host.py``. A request is answered by the thread
that read it while another thread reads on (a server's ``serve_forever`` may block while the
judge calls ``shutdown``); a callable of the judge's passed as an argument becomes a function
that calls back over the same socket.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import importlib
import importlib.util
import inspect
import io
import os
import socket
import sys
import threading
import traceback
import types
from typing import Any

_spec = importlib.util.spec_from_file_location(
    "_reciprocal_codec", os.path.join(os.path.dirname(os.path.abspath(__file__)), "codec.py"))
assert _spec is not None and _spec.loader is not None
codec = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(codec)

SUBMISSION = os.environ.get("SUBMISSION_DIR", "/work/submission")
MAX_ITEMS = 1_000_000
BUILTIN_SPECIAL = {
    "len": len, "bool": bool, "str": str, "repr": repr, "iter": iter, "int": int,
    "float": float, "index": lambda o: o.__index__(), "hash": hash,
    "getitem": lambda o, k: o[k], "contains": lambda o, k: k in o,
    "setitem": lambda o, k, v: o.__setitem__(k, v), "delitem": lambda o, k: o.__delitem__(k),
    "enter": lambda o: o.__enter__(), "exit": lambda o, *a: o.__exit__(*a),
}


class Host:
    def __init__(self, sock: socket.socket) -> None:
        self.reader = sock.makefile("rb")
        self.writer = sock.makefile("wb")
        self.write_lock = threading.Lock()
        self.objects: dict[int, Any] = {}
        self.ids: dict[int, int] = {}
        self.next_id = 1
        self.lock = threading.Lock()
        self.waiting: dict[int, tuple[threading.Event, list[dict[str, Any]]]] = {}
        self.next_callback = 1
        self.capture_lock = threading.Lock()
        self.method_names: dict[type, list[str]] = {}
        self.read_turn = threading.Lock()
        self.readers = 0  # threads reading the socket or waiting for their turn to

    def send(self, message: dict[str, Any]) -> None:
        with self.write_lock:
            codec.write_frame(self.writer, message)

    def loop(self) -> None:
        """Serve until the judge closes the socket. The threads take turns reading it; the one
        that reads a request answers it itself, so no hand-over to another thread sits between
        the request and its answer (under gVisor a hand-over costs about 0.25 ms a call). One
        thread is always left reading: a call may block (a server's serve_forever while the
        judge calls shutdown), and a callback's reply must still be read."""
        self.readers = 2
        threading.Thread(target=self.work, daemon=True).start()
        self.work()

    def work(self) -> None:
        while True:
            with self.read_turn:
                message = self.next_request()
            with self.lock:
                self.readers -= 1  # this thread answers now
                if self.readers == 0:  # and nobody is left to read: a new thread will
                    self.readers = 1
                    threading.Thread(target=self.work, daemon=True).start()
            self.answer(message)
            with self.lock:
                self.readers += 1

    def next_request(self) -> dict[str, Any]:
        """The next request; replies to the submission's callbacks go to their waiters."""
        while True:
            message = codec.read_frame(self.reader)
            if message is None:
                os._exit(0)
            if "reply" not in message:
                return message
            slot = self.waiting.pop(int(message["reply"]), None)
            if slot is not None:
                slot[1].append(message)
                slot[0].set()

    def answer(self, message: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"id": message.get("id")}
        try:
            reply["value"] = self.encode(self.handle(message))
        except StopIteration:
            reply["stop"] = True
        except BaseException as exc:  # noqa: BLE001 - everything the candidate raises goes back
            reply["error"] = self.error(exc)
        try:
            self.send(reply)
        except (ValueError, TypeError) as exc:
            self.send({"id": message.get("id"), "error": self.error(exc)})

    # ------------------------------------------------------------ references

    def ref(self, value: Any) -> dict[str, Any]:
        with self.lock:
            number = self.ids.get(id(value))
            if number is None:
                number = self.next_id
                self.next_id += 1
                self.objects[number] = value
                self.ids[id(value)] = number
        cls = value if isinstance(value, type) else type(value)
        data: dict[str, Any] = {"$": "ref", "ref": number, "type": codec.type_name(type(value)),
                                "mro": [codec.type_name(c) for c in cls.__mro__],
                                "callable": callable(value)}
        if isinstance(value, types.ModuleType):
            data["kind"] = "module"
            data["name"] = value.__name__
        elif isinstance(value, type):
            data["kind"] = "class"
            data["name"] = value.__name__
            if issubclass(value, BaseException):
                data["builtin"] = _builtin_base(value)
            if dataclasses.is_dataclass(value):
                data["dataclass_fields"] = [f.name for f in dataclasses.fields(value)]
        else:
            data["kind"] = "object"
            data["methods"] = self.methods(type(value))
            if dataclasses.is_dataclass(value):
                params = getattr(type(value), "__dataclass_params__", None)
                frozen = bool(getattr(params, "frozen", False))
                data["dataclass"] = {"frozen": frozen}
                if frozen:  # it cannot change: its fields travel with it
                    data["dataclass"]["values"] = self.encode(
                        {f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
            if isinstance(value, enum.Enum):
                data["enum"] = {"name": value.name, "value": self.encode(value.value)}
            plain = _plain(value)
            if plain is not None:  # a StrEnum, IntEnum or another str/int/float subclass
                data["plain"] = self.encode(plain)
        return data

    def methods(self, cls: type) -> list[str]:
        """The public methods ``cls`` defines: calling one needs no attribute fetch first."""
        known = self.method_names.get(cls)
        if known is None:
            known = sorted(name for name in dir(cls) if not name.startswith("__")
                           and inspect.isroutine(inspect.getattr_static(cls, name, None)))
            self.method_names[cls] = known
        return known

    def obj(self, data: dict[str, Any]) -> Any:
        if data.get("$") == "ref":
            try:
                return self.objects[int(data["ref"])]
            except (KeyError, ValueError, TypeError):
                raise ReferenceError("the object is no longer available") from None
        if data.get("$") == "callback":
            return self.callback(int(data["id"]))
        if data.get("$") == "iter":
            return iter(self.decode(data.get("v") or []))
        if data.get("$") == "range":
            return range(*(int(x) for x in data.get("v") or []))
        raise codec.CodecError(f"cannot decode {data.get('$')!r}")

    def encode(self, value: Any) -> Any:
        return codec.encode(value, self.ref)

    def decode(self, data: Any) -> Any:
        return codec.decode(data, self.obj)

    def callback(self, number: int) -> Any:
        def call_judge(*args: Any, **kwargs: Any) -> Any:
            event: threading.Event = threading.Event()
            box: list[dict[str, Any]] = []
            with self.lock:
                cid = self.next_callback
                self.next_callback += 1
                self.waiting[cid] = (event, box)
            self.send({"op": "callback", "cid": cid, "callback": number,
                       "args": self.encode(list(args)),
                       "kwargs": self.encode(dict(kwargs))})
            event.wait()
            reply = box[0]
            if "error" in reply:
                raise RuntimeError(f"the hidden tests' callback raised: {reply['error']}")
            return self.decode(reply.get("value"))

        call_judge.__name__ = f"judge_callback_{number}"
        return call_judge

    def capture(self, target: Any, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        """Call ``target`` with its stdout and stderr captured, as a command's main: one such
        call at a time (the streams are the process's own)."""
        out, err = io.StringIO(), io.StringIO()
        with self.capture_lock, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                value, status = target(*args, **kwargs), None
            except SystemExit as exc:
                value, status = None, _exit_status(exc.code)
        return {"value": value, "stdout": out.getvalue(), "stderr": err.getvalue(),
                "exit_status": status}

    def error(self, exc: BaseException) -> dict[str, Any]:
        try:
            args = self.encode(list(exc.args))
        except (codec.CodecError, RecursionError):
            args = None
        return {"type": codec.type_name(type(exc)),
                "mro": [codec.type_name(c) for c in type(exc).__mro__],
                "builtin": _builtin_base(type(exc)), "args": args,
                "message": _safe_str(exc)[:4000],
                "traceback": "".join(traceback.format_exception(exc))[-8000:]}

    # ------------------------------------------------------------ requests

    def handle(self, message: dict[str, Any]) -> Any:
        op = message.get("op")
        if op == "find":
            return importlib.util.find_spec(str(message["name"])) is not None
        if op == "import":
            return importlib.import_module(str(message["name"]))
        target = self.obj({"$": "ref", "ref": message.get("ref")})
        args = self.decode(message.get("args") or [])
        kwargs = self.decode(message.get("kwargs") or {"$": "dict", "v": []})
        if op == "getattr":
            return getattr(target, str(message["name"]))
        if op == "setattr":
            return setattr(target, str(message["name"]), self.decode(message.get("value")))
        if op == "delattr":
            return delattr(target, str(message["name"]))
        if op == "call":
            return target(*args, **kwargs)
        if op == "capture":
            return self.capture(target, args, kwargs)
        if op == "method":
            return getattr(target, str(message["name"]))(*args, **kwargs)
        if op == "special":
            return BUILTIN_SPECIAL[str(message["name"])](target, *args)
        if op == "next":
            return next(target)
        if op == "fields":
            return {f.name: getattr(target, f.name) for f in dataclasses.fields(target)}
        if op == "signature":
            return str(inspect.signature(target))
        if op == "release":
            with self.lock:
                value = self.objects.pop(int(message["ref"]), None)
                self.ids.pop(id(value), None)
            return None
        raise ValueError(f"unknown request {op!r}")


def _exit_status(code: object) -> int:
    """The status a process would exit with for ``sys.exit(code)``."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _plain(value: Any) -> str | int | float | None:
    """The built-in value inside a subclass of str, int or float (never its own __str__)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    return None


def _builtin_base(cls: type) -> str:
    """The nearest built-in exception class (by name) in ``cls``'s MRO."""
    for base in cls.__mro__:
        if base.__module__ == "builtins" and issubclass(base, BaseException):
            return base.__name__
    return "Exception"


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - a __str__ that raises must not lose the error
        return type(exc).__name__


def main() -> None:
    sys.path.insert(0, SUBMISSION)
    sock = socket.socket(fileno=3)
    Host(sock).loop()


if __name__ == "__main__":
    main()
