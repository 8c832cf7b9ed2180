"""The rules for falling back from an incremental mode to one that looks at everything.

The serve patch (``serve_patch``) and the stored-graph build (``from_graph``) both handle
edits to a few Markdown sources that move no document, and decline (``mode.Decline``)
whatever may reach further or has an error to report; these are the rules they share, so
that both decline alike.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any

from generator.content.model import Page, Story
from generator.core.errors import Problem, has_errors
from generator.pipeline.mode import require
from generator.render.markdown import RenderedDoc

EDITS_AT_MOST = 50
"""At most this many changed files are patched from the stored graph; more take the full path."""


def place(doc: Story | Page) -> tuple[Any, ...]:
    """What decides where a document appears: in which lists, at which position, with which files.

    A story's standing in the review is part of it (an edit after an approval may leave it out);
    the bundle folder comes last (``from_graph`` reads it there).
    """
    if isinstance(doc, Story):
        return (doc.kind, doc.slug, doc.date, doc.unit, doc.activities, doc.draft, doc.approved_levels, doc.cover,
                doc.bundle_dir)
    return ("page", doc.slug, doc.draft, doc.bundle_dir)


def require_markdown(paths: Iterable[str], known: Container[str] | None = None) -> None:
    """Decline unless every changed file is a Markdown source (already known, when ``known`` is given)."""
    require(all(rel.lower().endswith(".md") and (known is None or rel in known) for rel in paths),
            "a file other than a known Markdown source changed")


def require_no_errors(problems: list[Problem], what: str) -> None:
    """Decline when anything has an error: the full path reports every problem of the site at once.

    Warnings do not decline: an incremental mode reports them itself (``render.checks.patched_problems``).
    """
    require(not has_errors(problems), f"{what} has an error to report")


def require_same_place(new: Story | Page | None, was: tuple[Any, ...], rel: str) -> None:
    """Decline when an edited document moved from where it ``was`` (its ``place`` before the edit)."""
    require(new is not None and place(new) == was, f"{rel} moved in the site's lists")


def require_same_files(new: RenderedDoc, old: RenderedDoc, rel: str) -> None:
    """Decline when an edited text uses other files: the files the site copies would change."""
    require(new.assets == old.assets, f"{rel} uses other files than before")
