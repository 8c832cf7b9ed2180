"""Each kind's paginated list, and each story's page (shown among its neighbours in that list)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.content.model import KINDS, Site, Story
from generator.render.indexes import Indexes
from generator.render.plans import KEPT, SOURCE, Made, PagePlan, Planning, Spec, pager_plans
from generator.render.views import Neighbour, StoryView, kind_label, kind_url, neighbour


def _kind(p: Planning, key: str) -> Made:
    kind = next(k for k in KINDS if k.key == key)
    stories = p.indexes.by_kind[key]
    shown, title, per_page = p.listed(stories), kind_label(p.theme.text, key), p.site.config.per_page
    return ((shown, title, per_page), tuple(map(SOURCE, stories)),
            lambda: pager_plans(shown, per_page, kind_url(kind.folder), "kind.html", {"title": title, "kind": key}))


def story_page(view: StoryView, body: str, older: Neighbour | None, newer: Neighbour | None) -> PagePlan:
    """Plan one story's page (here for the whole site, in ``storypass`` for a run of stories)."""
    return PagePlan(view.url, "story.html", {"story": view, "body": body, "older": older, "newer": newer})


def near(stories: Sequence[Story], index: int) -> tuple[Story | None, Story | None]:
    """The older and newer neighbours of the story at ``index`` of a list (newest first)."""
    return (stories[index + 1] if index + 1 < len(stories) else None, stories[index - 1] if index > 0 else None)


def _story(p: Planning, key: str, index: int) -> Made:
    stories = p.indexes.by_kind[key]
    members = tuple(map(SOURCE, stories[max(0, index - 1) : index + 2]))
    if p.story_pages is not None:  # made by the story's journey: the same list while its inputs are
        group = p.story_pages[stories[index].source_path]
        return KEPT, members, lambda: group
    story, view = stories[index], p.views[stories[index].source_path]
    older, newer = (None if s is None else neighbour(p.views[s.source_path]) for s in near(stories, index))
    body = p.rendered[story.source_path].html
    return (view, body, older, newer), members, lambda: [story_page(view, body, older, newer)]


GROUPS = {"kind": _kind, "story": _story}
"""The kinds of group this planner plans, by the name a spec starts with."""


def specs(site: Site, indexes: Indexes) -> Iterator[tuple[str, Spec]]:
    """Each kind's list, followed by the pages of its stories, newest first."""
    for kind in KINDS:
        yield f"kind:{kind.key}", ("kind", kind.key)
        for index, story in enumerate(indexes.by_kind[kind.key]):
            yield f"story:{story.source_path}", ("story", kind.key, index)
