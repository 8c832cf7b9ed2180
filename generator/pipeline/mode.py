"""The interface every build mode (strategy) has, and how a mode declines.

A mode either does the whole job or raises ``Decline`` before it has changed anything:
no state of the ``Builder``, no file of the output folder, no row of the cache. The
pipeline then tries the next mode of its list (``builder.BUILD_MODES``, ``PREPARE_MODES``);
the last mode of each list never declines.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from generator.core.parallel import ALONE, Processes
from generator.pipeline.options import BuildOptions

if TYPE_CHECKING:
    from generator.incremental.uptodate import Check
    from generator.pipeline.state import BuildState

R = TypeVar("R")


class Decline(Exception):  # noqa: N818 -- not an error: a mode hands the job to the next one
    """This mode cannot do this job; the reason says why (for developers: ``DANGJIAN_DEBUG=1``)."""


def require(condition: object, reason: str) -> None:
    """Decline with ``reason`` unless ``condition`` holds."""
    if not condition:
        raise Decline(reason)


@dataclass(frozen=True)
class Job:
    """What one run of the pipeline is asked to do."""

    options: BuildOptions
    processes: Processes = ALONE
    """Worker processes the mode may use, and how they start."""
    checked: Check | None = None
    """For ``dangjian build``: the look at the inputs and the cache (``uptodate.check``)."""
    changed: list[str] | None = None
    """For the preview: the content-relative files the watcher saw change (None: look at all)."""

    @property
    def out_dir(self) -> Path:
        """The output folder."""
        return self.options.output


@dataclass(frozen=True)
class Mode(Generic[R]):
    """One way of doing a job, tried in the order of its list."""

    name: str
    run: Callable[[Job, BuildState], R]
    """Do the job, or raise ``Decline`` having changed nothing."""


def first(modes: Sequence[Mode[R]], job: Job, state: BuildState) -> tuple[str, R]:
    """Run the first mode of ``modes`` that does not decline; return its name and result."""
    for mode in modes[:-1]:
        try:
            return mode.name, mode.run(job, state)
        except Decline as reason:
            if os.environ.get("DANGJIAN_DEBUG"):
                print(f"dangjian: {mode.name}: {reason}", file=sys.stderr)
    return modes[-1].name, modes[-1].run(job, state)
