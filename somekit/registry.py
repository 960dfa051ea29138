"""One registry helper for everything chosen by name: task builders, ingest adapters, verify
checks, LLM backends. A name maps to a value registered by a module; modules are imported on the
first lookup that needs them, so one component's optional packages are needed only when that
component is used. An unknown name is an error that lists every known one."""

from __future__ import annotations

import importlib
from typing import Callable, Generic, Iterable, Mapping, TypeVar, Union

from .errors import SomekitError

T = TypeVar("T")
Modules = Union[Mapping[str, str], Iterable[str]]


class Registry(dict[str, T], Generic[T]):
    """Values registered by name (the registry is the dict of them), and the modules that
    register them.

    `modules` (or a function returning it, read at each lookup) is a mapping name -> module, so
    only the module of the name asked for is imported, or a list of modules that are all imported
    before the first lookup.
    """

    def __init__(self, kind: str, modules: Modules | Callable[[], Modules] = (),
                 error: type[SomekitError] = SomekitError) -> None:
        super().__init__()
        self.kind = kind
        self.error = error
        self._modules = modules

    @property
    def modules(self) -> Modules:
        return self._modules() if callable(self._modules) else self._modules

    def add(self, name: str, value: T) -> T:
        self[name] = value
        return value

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator form of `add`."""
        return lambda value: self.add(name, value)

    def names(self) -> list[str]:
        """Every name that can be looked up (registered, or registered by a known module)."""
        modules = self.modules
        if isinstance(modules, Mapping):
            return sorted(set(self) | set(modules))
        self.load_all()
        return sorted(self)

    def load_all(self) -> "Registry[T]":
        """Import every module that registers entries; the entries."""
        modules = self.modules
        for module in (modules.values() if isinstance(modules, Mapping) else modules):
            _import(module, self.kind, self.error)
        return self

    def lookup(self, name: str) -> T:
        """The value registered as `name`, importing the module that registers it if needed; an
        unknown name raises the registry's error listing the known ones. (`get` stays dict.get.)"""
        if name not in self:
            modules = self.modules
            if isinstance(modules, Mapping):
                if name in modules:
                    _import(modules[name], f"{self.kind} {name!r}", self.error)
            else:
                self.load_all()
        if name not in self:
            raise self.error(f"unknown {self.kind} {name!r}; choose from: {', '.join(self.names())}")
        return self[name]


def _import(module: str, what: str, error: type[SomekitError]) -> None:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] == "somekit":
            raise   # our own module is missing: a broken install, not a user error
        raise error(f"{what} needs the package {exc.name!r}, which is not installed "
                    "(see the extras in pyproject.toml)") from None
