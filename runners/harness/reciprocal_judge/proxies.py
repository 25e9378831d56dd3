"""The submission's modules, classes and objects as the judge sees them: proxies.

Calling a proxy sends the call to the host (connection.Connection); what comes back is a copy
of the data, or a reference to an object that stays in the host. References compare by
identity, dataclass instances by the values of their fields (compared here), and nothing the
host sends runs as code in the judge: an object of the submission's that claims to equal
everything never reaches an assertion.
"""

from __future__ import annotations

import types
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from typing import TYPE_CHECKING, Any

from . import codec

if TYPE_CHECKING:  # the connection hands itself to the proxies it makes
    from .connection import Connection

# Attributes the test tool looks for on every object of a test module (fixtures, marks):
# never the submission's, so they are not asked for.
_PROBES = ("_pytest", "pytestmark")


_TYPES: dict[tuple[str, str], type] = {}


def type_key(name: dict[str, Any]) -> tuple[str, str]:
    """(module, qualified name) of a type as the host describes it."""
    return str(name.get("module", "")), str(name.get("qualname", ""))


class RemoteObject:
    """An object that stays in the submission's process. Equal only to itself."""

    __slots__ = ("__weakref__", "_reciprocal_connection", "_reciprocal_data", "_reciprocal_ref")

    def __init__(self, conn: Connection, number: int, data: dict[str, Any]) -> None:
        object.__setattr__(self, "_reciprocal_connection", conn)
        object.__setattr__(self, "_reciprocal_ref", number)
        object.__setattr__(self, "_reciprocal_data", data)

    def _reciprocal_call(self, op: str, **fields: Any) -> Any:
        __tracebackhide__ = True
        conn = object.__getattribute__(self, "_reciprocal_connection")
        return conn.request(op, ref=object.__getattribute__(self, "_reciprocal_ref"), **fields)

    def _reciprocal_special(self, name: str, *args: Any) -> Any:
        __tracebackhide__ = True
        conn = object.__getattribute__(self, "_reciprocal_connection")
        return self._reciprocal_call("special", name=name, args=conn.encode(list(args)))

    def __getattr__(self, name: str) -> Any:
        __tracebackhide__ = True
        if (name.startswith("__") and name.endswith("__")) or name.startswith(_PROBES):
            raise AttributeError(name)
        if name in object.__getattribute__(self, "_reciprocal_data").get("methods", ()):
            return RemoteMethod(self, name)
        return self._reciprocal_call("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        conn = object.__getattribute__(self, "_reciprocal_connection")
        self._reciprocal_call("setattr", name=name, value=conn.encode(value))

    def __delattr__(self, name: str) -> None:
        self._reciprocal_call("delattr", name=name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        conn = object.__getattribute__(self, "_reciprocal_connection")
        return self._reciprocal_call("call", args=conn.encode(list(args)),
                                     kwargs=conn.encode(kwargs))

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __hash__(self) -> int:
        return hash(("reciprocal-ref", object.__getattribute__(self, "_reciprocal_ref")))

    def __repr__(self) -> str:
        try:
            text = self._reciprocal_special("repr")
        except Exception:  # noqa: BLE001 - a repr for a failure message must not fail
            text = None
        data = object.__getattribute__(self, "_reciprocal_data")
        name = data.get("type", {}).get("qualname", "object")
        return text if isinstance(text, str) else f"<{name} in the submission>"

    def __str__(self) -> str:
        return _expect(self._reciprocal_special("str"), str, "__str__")

    def __bool__(self) -> bool:
        return _expect(self._reciprocal_special("bool"), bool, "__bool__")

    def __len__(self) -> int:
        return _expect(self._reciprocal_special("len"), int, "__len__")

    def __int__(self) -> int:
        return _expect(self._reciprocal_special("int"), int, "__int__")

    def __float__(self) -> float:
        return _expect(self._reciprocal_special("float"), float, "__float__")

    def __index__(self) -> int:
        return _expect(self._reciprocal_special("index"), int, "__index__")

    def __iter__(self) -> Any:
        iterator = self._reciprocal_special("iter")
        while True:
            try:
                yield iterator._reciprocal_call("next")
            except StopIteration:
                return

    def __next__(self) -> Any:
        return self._reciprocal_call("next")

    def __getitem__(self, key: Any) -> Any:
        return self._reciprocal_special("getitem", key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._reciprocal_special("setitem", key, value)

    def __delitem__(self, key: Any) -> None:
        self._reciprocal_special("delitem", key)

    def __contains__(self, key: Any) -> bool:
        return _expect(self._reciprocal_special("contains", key), bool, "__contains__")

    def __enter__(self) -> Any:
        return self._reciprocal_special("enter")

    def __exit__(self, *exc: Any) -> Any:
        return self._reciprocal_special("exit", None, None, None)


class RemoteMethod:
    """A method of an object of the submission's: calling it is one request."""

    __slots__ = ("name", "owner")

    def __init__(self, owner: RemoteObject, name: str) -> None:
        self.owner = owner
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        conn = object.__getattribute__(self.owner, "_reciprocal_connection")
        return self.owner._reciprocal_call("method", name=self.name,
                                           args=conn.encode(list(args)),
                                           kwargs=conn.encode(kwargs))

    def __repr__(self) -> str:
        return f"<method {self.name} of {self.owner!r}>"


class RemoteDataclass(RemoteObject):
    """A dataclass instance of the submission's: equal to another of the same class whose
    fields are equal, compared here. A frozen one's fields came with it; a mutable one's are
    read afresh each time."""

    __slots__ = ()

    def _reciprocal_fields(self) -> dict[str, Any]:
        data = object.__getattribute__(self, "_reciprocal_data")
        if "values" in data["dataclass"]:
            conn = object.__getattribute__(self, "_reciprocal_connection")
            if "decoded" not in data["dataclass"]:
                data["dataclass"]["decoded"] = conn.decode(data["dataclass"]["values"])
            return dict(data["dataclass"]["decoded"])
        return self._reciprocal_call("fields")

    def __getattr__(self, name: str) -> Any:
        __tracebackhide__ = True
        data = object.__getattribute__(self, "_reciprocal_data")
        if "values" in data["dataclass"]:
            fields = self._reciprocal_fields()
            if name in fields:
                return fields[name]
        return RemoteObject.__getattr__(self, name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RemoteDataclass):
            return NotImplemented
        mine = object.__getattribute__(self, "_reciprocal_data").get("type")
        theirs = object.__getattribute__(other, "_reciprocal_data").get("type")
        return mine == theirs and self._reciprocal_fields() == other._reciprocal_fields()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        data = object.__getattribute__(self, "_reciprocal_data")
        if not data["dataclass"].get("frozen"):
            raise TypeError(f"unhashable type: '{data['type']['qualname']}'")
        return hash(tuple(self._reciprocal_fields().items()))

    def __repr__(self) -> str:
        data = object.__getattribute__(self, "_reciprocal_data")
        try:
            fields = ", ".join(f"{k}={v!r}" for k, v in self._reciprocal_fields().items())
        except Exception:  # noqa: BLE001 - a repr for a failure message must not fail
            return f"<{data['type']['qualname']} in the submission>"
        return f"{data['type']['qualname']}({fields})"


def _expect(value: Any, kind: type, method: str) -> Any:
    if type(value) is not kind and not (kind is float and type(value) is int):
        raise TypeError(f"{method} of the submission's object returned "
                        f"{type(value).__name__}, not {kind.__name__}")
    return value


def plain_member(conn: Connection, number: int, data: dict[str, Any]) -> Any:
    """A StrEnum/IntEnum member (or another subclass of str, int or float): the built-in value
    itself, carrying the member's name."""
    value = conn.decode(data["plain"])
    base = type(value)
    cls = type(data.get("type", {}).get("qualname", base.__name__), (base,), {
        "__slots__": (), "_reciprocal_ref": number, "_reciprocal_connection": conn,
        "name": (data.get("enum") or {}).get("name"),
        "value": property(lambda self: base(self)),
        "__repr__": lambda self: f"<{type(self).__name__}.{type(self).name}: {base(self)!r}>"})
    return cls(value)


def named_tuple(data: dict[str, Any], values: list[Any]) -> tuple[Any, ...]:
    key = (type_key(data.get("type") or {}), tuple(data.get("fields") or ()))
    cls = _TYPES.get(key)  # type: ignore[arg-type]
    if cls is None:
        import collections

        cls = collections.namedtuple(key[0][1].rsplit(".", 1)[-1], key[1])  # type: ignore[misc]
        _TYPES[key] = cls  # type: ignore[index]
    return cls(*values)


class _RemoteClassMeta(type):
    """The type of a class proxy: calling it constructs in the host; isinstance looks at the
    host object's class hierarchy."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        fields = cls._reciprocal_fields
        if fields is not None and not _data_only([*args, *kwargs.values()]):
            return ExpectedDataclass(cls, fields, args, kwargs)
        return cls._reciprocal_proxy(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") or name.startswith(_PROBES):
            raise AttributeError(name)
        return cls._reciprocal_proxy._reciprocal_call("getattr", name=name)

    def __instancecheck__(cls, instance: object) -> bool:
        data = getattr(instance, "_reciprocal_data", None)
        if not isinstance(data, dict):
            return False
        return cls._reciprocal_type in [type_key(t) for t in data.get("mro") or []]

    def __subclasscheck__(cls, subclass: type) -> bool:
        mro = getattr(subclass, "_reciprocal_mro", ())
        return cls._reciprocal_type in mro


def remote_class(conn: Connection, number: int, data: dict[str, Any]) -> type:
    mro = [type_key(t) for t in data.get("mro") or []]
    fields = data.get("dataclass_fields")
    return _RemoteClassMeta(str(data.get("name") or "RemoteClass"), (), {
        "_reciprocal_proxy": RemoteObject(conn, number, data),
        "_reciprocal_type": mro[0] if mro else ("", ""), "_reciprocal_mro": tuple(mro),
        "_reciprocal_fields": list(fields) if isinstance(fields, list) else None})


def _data_only(values: list[Any]) -> bool:
    """Whether every value can cross as data (a matcher such as pytest.approx cannot)."""
    try:
        codec.encode(values, _refuse)
    except (TypeError, codec.CodecError):
        return False
    return True


def _refuse(value: Any) -> dict[str, Any]:
    if getattr(value, "_reciprocal_ref", None) is not None or callable(value) or \
            isinstance(value, range | Iterator | KeysView | ValuesView | ItemsView):
        return {}
    raise TypeError(type(value).__name__)


class ExpectedDataclass:
    """A dataclass of the submission's built by the hidden tests with a matcher among its
    fields (``Bucket(start=0, avg=pytest.approx(2.0))``): never built in the host, it is an
    expected value, equal to an instance of that class whose fields (those given here) match,
    the matcher on the left of each comparison."""

    def __init__(self, cls: type, fields: list[str], args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> None:
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__}() takes {len(fields)} fields, "
                            f"{len(args)} were given")
        self.cls = cls
        self.values = dict(zip(fields, args, strict=False)) | kwargs
        unknown = set(kwargs) - set(fields)
        if unknown:
            raise TypeError(f"{cls.__name__}() has no field {sorted(unknown)[0]!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RemoteDataclass) or not isinstance(other, self.cls):
            return False
        actual = other._reciprocal_fields()
        return all(expected == actual.get(name) for name, expected in self.values.items())

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{self.cls.__name__}({shown})"



class RemoteModule(types.ModuleType):
    """A module of the submission's, imported in the host."""

    def __init__(self, conn: Connection, number: int, name: str) -> None:
        super().__init__(name)
        self.__dict__["_reciprocal"] = RemoteObject(conn, number, {"type": {"qualname": name}})
        self.__dict__["_reciprocal_ref"] = number
        self.__dict__["_reciprocal_connection"] = conn
        self.__dict__["__path__"] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        try:
            return self.__dict__["_reciprocal"]._reciprocal_call("getattr", name=name)
        except AttributeError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("__") or isinstance(value, RemoteModule):
            # importlib's own attributes, and a submodule it set on its parent (which the
            # host's import already did there)
            self.__dict__[name] = value
            return
        proxy = self.__dict__["_reciprocal"]
        conn = object.__getattribute__(proxy, "_reciprocal_connection")
        proxy._reciprocal_call("setattr", name=name, value=conn.encode(value))

    def __delattr__(self, name: str) -> None:
        self.__dict__["_reciprocal"]._reciprocal_call("delattr", name=name)
