"""A document's journey from its Markdown to what the rest of the build needs of it.

Every mode renders Markdown here: the in-memory path by batches through the memo table
(``render_markdown``), the serve patch and the stored-graph mode one document at a time
(``render_one``), the fresh build's pages (``render_docs``) and its story pass
(``story_outputs``, in the workers), which also fills the story's page and search file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.content.model import Page, Site, Story
from generator.core.errors import Problem
from generator.core.parallel import map_chunks
from generator.pipeline.state import MarkdownMemo
from generator.render.markdown import RenderedDoc, make_parser, render_doc
from generator.render.planners.kinds import story_page
from generator.render.plans import DataPlan, PagePlan
from generator.render.theme import Theme
from generator.render.urls import SiteUrls
from generator.render.views import Neighbour, TermLinks, story_view
from generator.search.plan import search_entry
from generator.search.tokens import DocText

Made = tuple[RenderedDoc, list[Problem]]


def markdown_inputs(doc: Story | Page) -> tuple[str, int, str, str]:
    """What a document's rendered Markdown depends on besides the site's URLs and files."""
    # The source digest stands for the body: comparing it is cheap, and it can be stored.
    return (doc.url, doc.body_line, doc.summary, doc.source_digest)


def render_docs(shared: tuple[SiteUrls, frozenset[str]], docs: Sequence[Story | Page]) -> list[Made]:
    """Render a batch of Markdown bodies (in a worker process when there are many)."""
    urls, files = shared
    parser = make_parser()
    return [render_doc(parser, doc, urls, files) for doc in docs]


def render_one(doc: Story | Page, urls: SiteUrls, files: frozenset[str]) -> Made:
    """Render one document's Markdown."""
    return render_docs((urls, files), [doc])[0]


def _render_batch(shared: tuple[SiteUrls, frozenset[str], Sequence[Story | Page]], positions: Sequence[int]
                  ) -> list[Made]:
    """Render the Markdown of the documents at these positions (in a worker process when there are many)."""
    urls, files, docs = shared
    return render_docs((urls, files), [docs[i] for i in positions])


def render_markdown(site: Site, urls: SiteUrls, memo: MarkdownMemo, unchanged: bool = False,
                    jobs: int = 1) -> tuple[dict[str, RenderedDoc], list[Problem]]:
    """Render every document's Markdown, reusing what is still valid.

    ``unchanged`` says that no URL and no file changed since the last run, so that
    every remembered link is known to resolve as before without checking each one.
    """
    def still_valid(value: Made) -> bool:
        # Documents with problems are rendered again so that their hints stay current.
        return not value[1] and (unchanged or value[0].still_valid(urls, site.files))

    if not unchanged:
        memo.forget_checked()
    checked, entries = memo.checked_against, memo.entries
    stale = []
    for doc in site.documents:
        path = doc.source_path
        if checked.get(path) is doc and not entries[path][1][1]:
            continue  # the very document checked last time, with every link known to resolve
        if memo.valid(path, markdown_inputs(doc), still_valid):
            checked[path] = doc
        else:
            stale.append(doc)
    # Positions, not documents, go to the workers: they have the documents by fork already.
    made = map_chunks(_render_batch, (urls, site.files, stale), range(len(stale)), jobs)
    for doc, made_value in zip(stale, made, strict=True):
        memo.store(doc.source_path, markdown_inputs(doc), made_value)
        checked[doc.source_path] = doc
    rendered: dict[str, RenderedDoc] = {}
    problems: list[Problem] = []
    for doc in site.documents:
        result, found = memo.entries[doc.source_path][1]
        rendered[doc.source_path] = result
        problems += found
    memo.retain(rendered)
    return rendered, problems


@dataclass(frozen=True, slots=True)
class StoryOutputs:
    """One story's page and search file, planned from its rendered Markdown."""

    rendered: RenderedDoc
    problems: list[Problem]
    page: PagePlan
    data: DataPlan
    text: DocText
    """What the story's search tokens are made from."""
    search_mark: str
    """Fingerprint of the story's search file (part of the search data's version)."""


@dataclass(frozen=True)
class StoryTools:
    """What a story's journey needs besides the story: made once for many stories."""

    site: Site
    urls: SiteUrls
    theme: Theme
    links: TermLinks
    """Links to each unit and activity (``views.term_links``)."""
    parser: Any
    """A Markdown parser (``markdown.make_parser``)."""


def story_outputs(tools: StoryTools, doc_id: int, story: Story, body: str, older: Neighbour | None,
                  newer: Neighbour | None) -> StoryOutputs:
    """Take one story from its Markdown body to its page, its search file and its problems."""
    site = tools.site
    rendered, problems = render_doc(tools.parser, story, tools.urls, site.files, body)
    view = story_view(story, site, rendered, tools.urls, tools.theme.text, tools.links)
    page = story_page(view, rendered.html, older, newer)
    text, data, search_mark = search_entry(doc_id, story, rendered, site, tools.theme)
    return StoryOutputs(rendered, problems, page, data, text, search_mark)
