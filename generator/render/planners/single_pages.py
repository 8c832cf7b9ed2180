"""The standalone pages of content/pages/ (关于本站, 联系我们 …)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.content.model import Site
from generator.render.indexes import Indexes
from generator.render.plans import Made, PagePlan, Planning, Spec


def _page(p: Planning, index: int) -> Made:
    page = p.site.pages[index]
    context = {"page": page, "body": p.rendered[page.source_path].html}
    return (page, context["body"]), (page.source_path,), lambda: [PagePlan(page.url, "page.html", context)]


GROUPS = {"page": _page}
"""The kinds of group this planner plans, by the name a spec starts with."""


def specs(site: Site, indexes: Indexes) -> Iterator[tuple[str, Spec]]:
    """Each standalone page, in the order of their slugs."""
    for index, page in enumerate(site.pages):
        yield f"page:{page.source_path}", ("page", index)
