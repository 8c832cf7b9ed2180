"""Checks that need every document: titles two documents share, links into other documents' headings, strays.

A document's own checks are made when it is validated and rendered (``content.checks.doc_checks``,
``markdown.render_doc``) and kept with it. These depend on other documents too, so they are made
from an index of every title and of every link into a heading (``CheckIndex``): the full path
builds it, the incremental modes (the serve patch, the stored graph) patch it for the documents
they re-read and find the site-wide problems again from it, the same ones as a full run.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.content.checks import Keyed, TitleEntry, duplicate_titles, stray_problems, title_key
from generator.core.errors import Problem
from generator.render.markdown import RenderedDoc, fragment_problem

Into = tuple[tuple[str, int, str], ...]
"""The links into one document's headings: (the linking document's content path, line, heading id)."""


@dataclass(frozen=True)
class CheckIndex:
    """What the site-wide checks look at, by document: enough to check a few edited documents again alone."""

    titles: dict[str, tuple[TitleEntry, ...]]
    """``title_key`` → the published documents with that title."""
    into: dict[str, Into]
    """Content path → the links into its headings."""
    anchors: dict[str, tuple[str, ...]]
    """Content path → its heading ids, for each document in ``into``."""


def check_index(titles: Iterable[Keyed], rendered: Mapping[str, RenderedDoc]) -> CheckIndex:
    """The index of the published documents' titles (``content_checks``) and rendered Markdown."""
    by_key: dict[str, list[TitleEntry]] = {}
    for key, entry in titles:
        by_key.setdefault(key, []).append(entry)
    into: dict[str, list[tuple[str, int, str]]] = {}
    for path, made in rendered.items():
        for line, target, fragment in made.fragments:
            into.setdefault(target, []).append((path, line, fragment))
    anchors = {target: rendered[target].anchors for target in into if target in rendered}
    return CheckIndex({key: tuple(entries) if len(entries) == 1 else tuple(sorted(entries))
                       for key, entries in by_key.items()},
                      {target: tuple(sorted(links)) for target, links in sorted(into.items())}, anchors)


def site_problems(index: CheckIndex, keys: Iterable[str] | None = None,
                  targets: Iterable[str] | None = None) -> list[Problem]:
    """Warnings about titles two documents share and links into headings their documents lack.

    With ``keys`` (``title_key``) and ``targets`` (content paths), only those titles and the links
    into those documents are looked at: what a few edits can change.
    """
    groups = index.titles.values() if keys is None else (index.titles.get(key, ()) for key in set(keys))
    problems = duplicate_titles(entry for entries in groups if len(entries) > 1 for entry in entries)
    for target in index.into if targets is None else sorted(set(targets)):
        anchors = index.anchors.get(target)
        if anchors is None:
            continue  # not published: each link to it was reported where it was rendered
        for path, line, fragment in index.into.get(target, ()):
            shown = posixpath.relpath(target, posixpath.dirname(path))
            problem = fragment_problem(f"content/{path}", line, shown, fragment, anchors)
            if problem is not None:
                problems.append(problem)
    return problems


def stray_files(rendered: Mapping[str, RenderedDoc], strays: Iterable[str]) -> list[Problem]:
    """A warning for each stray file (``load.stray_files``) that no rendered document links to."""
    return stray_problems(strays, {asset for doc in rendered.values() for asset in doc.assets})


Edit = tuple[str, TitleEntry, RenderedDoc, str, RenderedDoc]
"""An edited document: its content path, new title entry and rendered Markdown; its old title and rendering."""


def patch_index(index: CheckIndex, edits: Iterable[Edit],
                anchors_of: Callable[[str], tuple[str, ...] | None]) -> CheckIndex:
    """The index after edits that move no document (the same documents, in the same places).

    ``anchors_of`` gives the heading ids of a document that is not edited (None: not published).
    """
    edits = list(edits)
    titles, into = dict(index.titles), {target: list(links) for target, links in index.into.items()}
    anchors = dict(index.anchors)
    for path, entry, made, old_title, was in edits:
        old_key, new_key = title_key(old_title), title_key(entry[2])
        titles[old_key] = tuple(e for e in titles.get(old_key, ()) if e[0] != path)
        titles[new_key] = tuple(sorted((*titles.get(new_key, ()), entry)))
        for _, target, _ in was.fragments:
            into[target] = [link for link in into.get(target, []) if link[0] != path]
        for line, target, fragment in made.fragments:
            into.setdefault(target, []).append((path, line, fragment))
    new_anchors = {path: made.anchors for path, _, made, _, _ in edits}
    for target in into:
        if target in new_anchors:
            anchors[target] = new_anchors[target]
        elif target not in anchors:
            found = anchors_of(target)
            if found is not None:
                anchors[target] = found
    into = {target: links for target, links in into.items() if links}
    return CheckIndex({key: entries for key, entries in titles.items() if entries},
                      {target: tuple(sorted(links)) for target, links in sorted(into.items())},
                      {target: found for target, found in anchors.items() if target in into})


def patched_problems(last: Iterable[Problem], old: CheckIndex, new: CheckIndex, edits: Iterable[Edit],
                     own: Iterable[Problem]) -> list[Problem]:
    """A run's problems after edits, from the last run's: the edited documents' ``own`` replace theirs,
    and the site-wide ones the edits can change are found again, before and after, from the indexes."""
    # What else a run reports is unchanged by edits that move nothing: every other document's own
    # problems, the content folder's (strays, folders), units, activities, site.yaml.
    edits = list(edits)
    keys = {title_key(title) for _, _, _, title, _ in edits} | {title_key(entry[2]) for _, entry, _, _, _ in edits}
    targets = {path for path, _, _, _, _ in edits}
    targets.update(target for _, _, made, _, was in edits for _, target, _ in (*made.fragments, *was.fragments))
    shown = {f"content/{path}" for path, _, _, _, _ in edits}
    before = set(site_problems(old, keys, targets))
    kept = [p for p in last if p.path not in shown and p not in before]
    return [*kept, *own, *site_problems(new, keys, targets)]
