"""Temporary files of a build: blocks of data that one worker writes and others read back one at a time.

The story pass keeps each run's search postings here, grouped by index shard, so that no
process ever holds every story's postings: the worker that writes a group of shards reads
only that group's block of each run. The folder lives beside the output folder (on the
same disk, not in a memory-backed temporary folder) and goes away with the build.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Blocks = tuple[str, tuple[int, ...]]
"""A file of blocks and where each starts (the last number is where the file ends)."""


def write_blocks(path: Path, blocks: Iterable[Any]) -> Blocks:
    """Write each block pickled, one after another; return the file and where each block starts."""
    offsets = [0]
    with path.open("wb") as file:
        for block in blocks:
            offsets.append(offsets[-1] + file.write(pickle.dumps(block, protocol=pickle.HIGHEST_PROTOCOL)))
    return str(path), tuple(offsets)


def read_block(blocks: Blocks, number: int) -> Any:
    """Read one block back."""
    path, offsets = blocks
    with Path(path).open("rb") as file:
        file.seek(offsets[number])
        return pickle.loads(file.read(offsets[number + 1] - offsets[number]))
