"""A document's journey from its Markdown to what the rest of the build needs of it.

Every mode renders Markdown here: the in-memory path by batches through the memo table
(``render_markdown``), the serve patch and the stored-graph mode one document at a time
(``render_one``), the fresh build's pages (``render_docs``) and its story pass (``story_outputs``).

A story then goes on to its view, its page and its search entry in ``story_journey``: in the
story pass's workers one story at a time, in the in-memory modes for every story through the
journey's memo tables (``journeys``), which the page and search planners take as data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.content.model import Page, Site, Story
from generator.core.errors import Problem
from generator.core.memo import Memo
from generator.core.parallel import map_chunks
from generator.render.indexes import Indexes
from generator.render.markdown import RenderedDoc, make_parser, render_doc
from generator.render.planners.kinds import near, story_page
from generator.render.plans import DataPlan, PagePlan
from generator.render.theme import Theme
from generator.render.urls import SiteUrls
from generator.render.views import Neighbour, StoryView, TermLinks, story_view
from generator.search.plan import search_entry
from generator.search.tokens import DocText

Made = tuple[RenderedDoc, list[Problem]]
MarkdownMemo = Memo[str, Made]


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


SearchEntry = tuple[DocText, DataPlan, str]
"""A story's text for the index, its search file's plan and that file's fingerprint (``search.plan.search_entry``)."""


@dataclass(frozen=True, slots=True)
class StoryOutputs:
    """What one story's journey makes from its rendered Markdown: its view, its page, its search entry."""

    view: StoryView
    """What lists and neighbours show of it (and its own page)."""
    page: PagePlan
    search: SearchEntry


@dataclass
class JourneyTables:
    """The journey's memo tables, kept between runs: each step is made again only when its own inputs change.

    The steps have tables of their own because their inputs differ: a story numbered anew (one
    inserted before it) needs a new search entry but not a new view or page; a neighbour's new
    title needs a new page but not a new view.
    """

    views: Memo[str, StoryView] = field(default_factory=Memo)
    pages: Memo[str, PagePlan] = field(default_factory=Memo)
    search: Memo[str, SearchEntry] = field(default_factory=Memo)
    current: dict[str, StoryOutputs] = field(default_factory=dict)
    """Source path → the story's outputs as of the last run."""
    positions: dict[str, Position] = field(default_factory=dict)
    """Source path → the story's position as of the last full run (``positions``)."""


@dataclass(frozen=True)
class StoryTools:
    """What a story's journey needs besides the story: made once for many stories."""

    site: Site
    urls: SiteUrls
    theme: Theme
    links: TermLinks
    """Links to each unit and activity (``views.term_links``)."""
    parser: Any = None
    """A Markdown parser (``markdown.make_parser``), for journeys that start from the body."""


Item = tuple[int, Story, Neighbour | None, Neighbour | None]
"""A story on its journey: its id (oldest first), the story, its older and newer neighbours."""


Position = tuple[int, str, int]
"""Where a story stands: its id, its kind, its index in its kind's list (newest first)."""


def positions(site: Site, indexes: Indexes) -> dict[str, Position]:
    """Every story's position, by source path."""
    ids = {story.source_path: doc_id for doc_id, story in enumerate(reversed(site.stories))}
    return {story.source_path: (ids[story.source_path], key, index)
            for key, listed in indexes.by_kind.items() for index, story in enumerate(listed)}


def _item(indexes: Indexes, position: Position) -> Item:
    doc_id, key, index = position
    listed = indexes.by_kind[key]
    older, newer = near(listed, index)
    return (doc_id, listed[index], None if older is None else Neighbour(older.title, older.url),
            None if newer is None else Neighbour(newer.title, newer.url))


def items(site: Site, indexes: Indexes) -> list[Item]:
    """Every story of the site in id order (oldest first), with its neighbours in its kind's list.

    The story pass sends them to its workers in their chunks, pickled, rather than by fork: a
    worker reading the parent's stories would write to their pages (reference counts) and so
    copy most of them, each worker for itself.
    """
    return [_item(indexes, position) for position in sorted(positions(site, indexes).values())]


def _step(table: Memo[str, Any] | None, key: str, inputs: Any, make: Callable[..., Any], *args: Any) -> Any:
    return make(*args) if table is None else table.get(key, inputs, make, *args)


def story_journey(tools: StoryTools, item: Item, rendered: RenderedDoc,
                  tables: JourneyTables | None = None) -> StoryOutputs:
    """Take one story from its rendered Markdown to its view, its page and its search entry.

    With ``tables`` each step is reused while its inputs are the same (the in-memory modes);
    without, made afresh (the story pass, which sees each story once).
    """
    doc_id, story, older, newer = item
    site, theme, path = tools.site, tools.theme, story.source_path
    # The unit and activity tuples and the strings are the same objects while unchanged.
    views, pages, entries = (None, None, None) if tables is None else (tables.views, tables.pages, tables.search)
    view = _step(views, path, (story, rendered, site.units, site.activities, theme.strings),
                 story_view, story, site, rendered, tools.urls, theme.text, tools.links)
    page = _step(pages, path, (view, rendered.html, older, newer),
                 story_page, view, rendered.html, older, newer)
    common = (site.units, site.activities, theme.strings)
    search = _step(entries, path, (doc_id, story, rendered.text, common), search_entry, doc_id, story, rendered,
                   site, theme)
    return StoryOutputs(view, page, search)


def story_plans(site: Site, outputs: dict[str, StoryOutputs]) -> tuple[dict[str, StoryView], dict[str, PagePlan]]:
    """The stories' views and pages from their outputs, by source path in the site's order, for ``plan_pages``."""
    views, pages = {}, {}
    for story in site.stories:
        made = outputs[story.source_path]
        views[story.source_path], pages[story.source_path] = made.view, made.page
    return views, pages


def story_views(tools: StoryTools, rendered: dict[str, RenderedDoc]) -> dict[str, StoryView]:
    """The first step of every story's journey alone: what the lists show of it (a fresh build's parent)."""
    site, text, links = tools.site, tools.theme.text, tools.links
    return {story.source_path: story_view(story, site, rendered[story.source_path], tools.urls, text, links)
            for story in site.stories}


def story_outputs(tools: StoryTools, item: Item, body: str) -> tuple[RenderedDoc, list[Problem], StoryOutputs]:
    """Take one story from its Markdown body to its page, its search entry and its problems (the story pass)."""
    rendered, problems = render_doc(tools.parser, item[1], tools.urls, tools.site.files, body)
    return rendered, problems, story_journey(tools, item, rendered)


def journeys(tools: StoryTools, indexes: Indexes, rendered: dict[str, RenderedDoc], tables: JourneyTables,
             edited: Iterable[Story] | None = None) -> dict[str, StoryOutputs]:
    """Every story's outputs, each step reused while its inputs are unchanged (kept in ``tables.current``).

    With ``edited`` (stories that kept their places, see ``serve_patch``) only their journeys and
    their neighbours' (whose pages show their titles) are taken again; the others keep their last outputs.
    """
    if edited is None:
        tables.positions = positions(tools.site, indexes)
        current: dict[str, StoryOutputs] = {}
        paths: Iterable[str] = tables.positions
    else:
        current = dict(tables.current)
        paths = set()
        for story in edited:
            _, key, index = tables.positions[story.source_path]
            listed = indexes.by_kind[key]
            paths.update(s.source_path for s in listed[max(0, index - 1) : index + 2])
    for path in paths:
        current[path] = story_journey(tools, _item(indexes, tables.positions[path]), rendered[path], tables)
    if edited is None:
        for table in (tables.views, tables.pages, tables.search):
            table.retain(current)
    tables.current = current
    return current
