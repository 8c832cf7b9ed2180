"""The dependency graph of a build, kept as memo tables.

Each stage keeps one table, keyed by what it makes: a source path, a story, a page
URL. An entry remembers the inputs it was made from and is reused while its inputs
compare equal (identity first, then value) to the current ones; otherwise it is
remade. The inputs of one stage are the outputs of the stage before, so a change
spreads only as far as it changes values: a story whose first paragraph is edited
re-renders its own page and the one list page showing its summary, and nothing
else (early cutoff). Later stages (search data, statistics, caches on disk) add
tables of their own instead of lists of special cases.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def same(a: Any, b: Any) -> bool:
    """Compare inputs: the same object, or equal values."""
    return a is b or a == b


@dataclass
class Memo(Generic[K, V]):
    """One table of the graph: a value per key, remade only when its inputs change."""

    entries: dict[K, tuple[Any, V]] = field(default_factory=dict)
    made: int = 0
    reused: int = 0
    checked_against: dict[K, Any] = field(default_factory=dict, repr=False, compare=False)
    """The object each entry was last checked against (see ``get_from``); kept in memory only."""

    def get(self, key: K, inputs: Any, make: Callable[..., V], *args: Any,
            still_valid: Callable[[V], bool] | None = None) -> V:
        """Return the value for ``key``, made by ``make(*args)`` unless ``inputs`` equal the remembered ones."""
        # Called once per story per stage on every update: kept free of extra calls on purpose.
        entry = self.entries.get(key)
        if entry is not None:
            old = entry[0]
            if (old is inputs or old == inputs) and (still_valid is None or still_valid(entry[1])):
                self.reused += 1
                return entry[1]
        return self.store(key, inputs, make(*args))

    def get_from(self, key: K, source: Any, inputs: Callable[[Any], Any], make: Callable[..., V],
                 *args: Any) -> V:
        """Like ``get`` with ``inputs(source)``, but skip the comparison when ``source`` is the very object
        the entry was last checked against.

        Stages call it once per document on every update; the identity check costs a dict lookup where
        building and comparing the inputs costs a tuple and a method call. Callers must ``forget_checked``
        when an input shared by every entry changes.
        """
        if self.checked_against.get(key) is source:
            entry = self.entries.get(key)
            if entry is not None:
                self.reused += 1
                return entry[1]
        value = self.get(key, inputs(source), make, *args)
        self.checked_against[key] = source
        return value

    def forget_checked(self) -> None:
        """Forget which objects entries were checked against, so that the next ``get_from`` compares inputs."""
        self.checked_against.clear()

    def valid(self, key: K, inputs: Any, still_valid: Callable[[V], bool] | None = None) -> bool:
        """Tell whether ``get`` would reuse the entry for ``key`` (to batch the misses elsewhere)."""
        entry = self.entries.get(key)
        return entry is not None and same(entry[0], inputs) and (still_valid is None or still_valid(entry[1]))

    def store(self, key: K, inputs: Any, value: V) -> V:
        """Remember a value made elsewhere for ``key`` and its inputs."""
        self.entries[key] = (inputs, value)
        self.checked_against.pop(key, None)
        self.made += 1
        return value

    def forget(self, keys: Iterable[K]) -> None:
        """Drop entries whose inputs changed in a way their inputs cannot show (a file event)."""
        for key in keys:
            self.entries.pop(key, None)
            self.checked_against.pop(key, None)

    def retain(self, keys: Iterable[K]) -> None:
        """Drop entries of keys that no longer exist, so that deleted sources free their memory."""
        keep = set(keys)
        for key in [k for k in self.entries if k not in keep]:
            del self.entries[key]
            self.checked_against.pop(key, None)

    def reset_counts(self) -> None:
        """Start counting made and reused entries afresh."""
        self.made = self.reused = 0


def stable(previous: V | None, current: V) -> V:
    """Return ``previous`` when it equals ``current``, so that later stages see the same object."""
    return previous if previous is not None and previous == current else current
