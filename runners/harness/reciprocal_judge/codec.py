"""Values across the process boundary: JSON with a few tagged forms, never pickle.

Data crosses as a copy (numbers, strings, bytes, lists, tuples, dicts, sets, Decimal, dates,
UUIDs, named tuples); any other object stays in the submission's process and crosses as a
reference that the other side can only call, ask for attributes, or compare by identity. So the
judge's assertions compare values it decoded itself: an object of the submission's that claims
to equal everything never reaches them. Used by both sides; the host runs it as the candidate's
uid, where it is only a convenience (the judge trusts nothing the host sends).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import fractions
import json
import math
import pathlib
import struct
import uuid
from collections.abc import Callable
from typing import Any, BinaryIO

MAX_FRAME = 64 << 20
MAX_DEPTH = 200

SIMPLE = {
    "decimal": (decimal.Decimal, str, decimal.Decimal),
    "date": (dt.date, dt.date.isoformat, dt.date.fromisoformat),
    "datetime": (dt.datetime, dt.datetime.isoformat, dt.datetime.fromisoformat),
    "time": (dt.time, dt.time.isoformat, dt.time.fromisoformat),
    "fraction": (fractions.Fraction, str, fractions.Fraction),
    "uuid": (uuid.UUID, str, uuid.UUID),
    "path": (pathlib.PosixPath, str, pathlib.Path),
    "purepath": (pathlib.PurePosixPath, str, pathlib.PurePosixPath),
}


class CodecError(ValueError):
    """A message that does not follow the protocol."""


def write_frame(stream: BinaryIO, message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=False, allow_nan=False).encode("utf-8")
    stream.write(struct.pack("!I", len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO) -> dict[str, Any] | None:
    """The next message, or None at the end of the stream."""
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack("!I", head)
    if size > MAX_FRAME:
        raise CodecError(f"a message of {size} bytes is larger than {MAX_FRAME}")
    data = stream.read(size)
    if len(data) < size:
        return None
    message = json.loads(data)
    if not isinstance(message, dict):
        raise CodecError("a message is a JSON object")
    return message


def type_name(cls: type) -> dict[str, str]:
    return {"module": str(getattr(cls, "__module__", "")), "qualname": str(cls.__qualname__)}


def encode(value: Any, to_ref: Callable[[Any], dict[str, Any]], depth: int = 0) -> Any:
    """``value`` as JSON; ``to_ref`` turns an object that is not data into a reference."""
    if depth > MAX_DEPTH:
        raise CodecError("the value is nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if kind is list:
        return [encode(v, to_ref, depth + 1) for v in value]
    if kind is tuple:
        return {"$": "tuple", "v": [encode(v, to_ref, depth + 1) for v in value]}
    if kind is dict:
        return {"$": "dict", "v": [[encode(k, to_ref, depth + 1), encode(v, to_ref, depth + 1)]
                                   for k, v in value.items()]}
    if kind in (set, frozenset):
        return {"$": kind.__name__, "v": [encode(v, to_ref, depth + 1) for v in value]}
    if kind in (bytes, bytearray):
        return {"$": "bytes", "v": base64.b64encode(bytes(value)).decode()}
    if kind is complex:
        return {"$": "complex", "v": [value.real, value.imag]}
    if kind is dt.timedelta:
        return {"$": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    for tag, (cls, dump, _load) in SIMPLE.items():
        if kind is cls:
            return {"$": tag, "v": dump(value)}
    if isinstance(value, tuple) and hasattr(kind, "_fields"):  # a named tuple: data
        return {"$": "namedtuple", "type": type_name(kind), "fields": list(kind._fields),
                "v": [encode(v, to_ref, depth + 1) for v in value]}
    return to_ref(value)


def decode(data: Any, from_ref: Callable[[dict[str, Any]], Any], depth: int = 0) -> Any:
    """The value ``data`` encodes; ``from_ref`` turns a tagged reference into an object."""
    if depth > MAX_DEPTH:
        raise CodecError("the value is nested too deeply")
    if data is None or type(data) in (bool, int, str, float):
        return data
    if type(data) is list:
        return [decode(v, from_ref, depth + 1) for v in data]
    if type(data) is not dict:
        raise CodecError("not a value")
    tag = data.get("$")
    raw = data.get("v")
    if tag == "tuple":
        return tuple(decode(v, from_ref, depth + 1) for v in _list(raw))
    if tag == "dict":
        return {decode(k, from_ref, depth + 1): decode(v, from_ref, depth + 1)
                for k, v in (_pair(p) for p in _list(raw))}
    if tag in ("set", "frozenset"):
        items = (decode(v, from_ref, depth + 1) for v in _list(raw))
        return set(items) if tag == "set" else frozenset(items)
    if tag == "float":
        return float(_text(raw))
    if tag == "bytes":
        return base64.b64decode(_text(raw), validate=True)
    if tag == "complex":
        real, imag = _list(raw)
        return complex(float(real), float(imag))
    if tag == "timedelta":
        days, seconds, micro = (int(x) for x in _list(raw))
        return dt.timedelta(days=days, seconds=seconds, microseconds=micro)
    if tag in SIMPLE:
        return SIMPLE[tag][2](_text(raw))
    return from_ref(data)


def _list(raw: Any) -> list[Any]:
    if type(raw) is not list:
        raise CodecError("expected a list")
    return raw


def _pair(raw: Any) -> tuple[Any, Any]:
    if type(raw) is not list or len(raw) != 2:
        raise CodecError("expected a pair")
    return raw[0], raw[1]


def _text(raw: Any) -> str:
    if type(raw) is not str:
        raise CodecError("expected a string")
    return raw
