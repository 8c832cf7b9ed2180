"""Checks that need every document rendered: links into other documents' headings, and stray files.

A document's own checks are made when its Markdown is rendered (``markdown.render_doc``) and
kept with it. These depend on other documents too, so they are made again on every run, in one
pass over the rendered documents; ``CheckIndex`` lets the incremental modes (the serve patch, the
stored graph) tell whether an edit changes their outcome without that pass.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.content.checks import stray_problems, title_key
from generator.content.model import Page, Story
from generator.core.errors import Problem
from generator.render.markdown import RenderedDoc, fragment_problem


def link_problems(rendered: Mapping[str, RenderedDoc]) -> list[Problem]:
    """A warning for each link into another document's heading that this document does not have."""
    problems = []
    for path, doc in rendered.items():
        for line, target, fragment in doc.fragments:
            found = rendered.get(target)
            if found is None:
                continue  # not published: the link itself was reported
            shown = posixpath.relpath(target, posixpath.dirname(path))
            problem = fragment_problem(f"content/{path}", line, shown, fragment, found.anchors)
            if problem is not None:
                problems.append(problem)
    return problems


def rendered_checks(rendered: Mapping[str, RenderedDoc], strays: Iterable[str]) -> list[Problem]:
    """The checks over every rendered document: links into headings, stray files no document links to."""
    used = {asset for doc in rendered.values() for asset in doc.assets}
    return link_problems(rendered) + stray_problems(strays, used)


Into = tuple[tuple[str, int, str], ...]
"""The links into one document's headings: (the linking document's content path, line, heading id)."""


@dataclass(frozen=True)
class CheckIndex:
    """What the site-wide checks look at, by document: enough to re-check a few edited documents alone."""

    titles: dict[str, tuple[str, ...]]
    """``title_key`` → content paths of the published documents with that title."""
    into: dict[str, Into]
    """Content path → the links into its headings."""


def check_index(docs: Iterable[Story | Page], rendered: Mapping[str, RenderedDoc]) -> CheckIndex:
    """The index of the published documents and their rendered Markdown."""
    titles: dict[str, list[str]] = {}
    for doc in docs:
        titles.setdefault(title_key(doc.title), []).append(doc.source_path)
    into: dict[str, list[tuple[str, int, str]]] = {}
    for path, made in rendered.items():
        for line, target, fragment in made.fragments:
            into.setdefault(target, []).append((path, line, fragment))
    return CheckIndex({key: tuple(sorted(paths)) for key, paths in titles.items()},
                      {target: tuple(sorted(links)) for target, links in sorted(into.items())})


Edit = tuple[Story | Page, RenderedDoc, Story | Page, RenderedDoc]
"""An edited document and its rendered Markdown, and both before the edit."""


def patch_index(index: CheckIndex, edits: Iterable[Edit],
                anchors_of: Callable[[str], tuple[str, ...] | None]) -> CheckIndex | None:
    """The index after edits that move no document; None when they give a site-wide check something to say.

    ``anchors_of`` gives the heading ids of a document not edited (None: not published). The
    index is of a run with nothing to say, so any duplicate title or link into a missing heading
    found here is new: the caller then lets a mode that looks at everything report it.
    """
    edits = list(edits)
    titles, into = dict(index.titles), {target: list(links) for target, links in index.into.items()}
    edited = {new.source_path: made for new, made, _, _ in edits}
    for new, made, old, was in edits:
        path = new.source_path
        old_key, new_key = title_key(old.title), title_key(new.title)
        if old_key != new_key:
            titles[old_key] = tuple(p for p in titles.get(old_key, ()) if p != path)
            titles[new_key] = tuple(sorted((*titles.get(new_key, ()), path)))
        for _, target, _ in was.fragments:
            into[target] = [link for link in into.get(target, []) if link[0] != path]
        for line, target, fragment in made.fragments:
            into.setdefault(target, []).append((path, line, fragment))
    if any(len(titles[title_key(new.title)]) > 1 for new, _, _, _ in edits):
        return None
    # Links into the edited documents (whose headings may have changed) and the edits' own links.
    for target in sorted({*edited, *(target for _, made, _, _ in edits for _, target, _ in made.fragments)}):
        anchors = edited[target].anchors if target in edited else anchors_of(target)
        if anchors is not None and any(fragment_problem("", line, target, fragment, anchors) is not None
                                       for _, line, fragment in into.get(target, [])):
            return None
    return CheckIndex({key: paths for key, paths in titles.items() if paths},
                      {target: tuple(sorted(links)) for target, links in sorted(into.items()) if links})
