"""A document's journey from its Markdown to what the rest of the build needs of it.

Every mode renders Markdown here: the in-memory path by batches through the memo table
(``render_markdown``), the serve patch and the stored-graph mode one document at a time
(``render_one``), the fresh build's pages (``render_docs``) and its story pass (``story_outputs``).

A story then goes on to its view, its page and its search entry in ``story_journey``: in the
story pass's workers one story at a time, in the in-memory modes for every story through the
journey's memo tables (``journeys``), which the page and search planners take as data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from generator.content.model import Page, Site, Story
from generator.content.terms import Lint
from generator.core.errors import Problem, has_errors
from generator.core.memo import Memo
from generator.core.parallel import ALONE, Processes, map_chunks
from generator.render.indexes import Indexes
from generator.render.markdown import RenderedDoc, make_parser, render_doc
from generator.render.planners.kinds import near, story_page
from generator.render.plans import DataPlan, PagePlan, Plan
from generator.render.theme import Theme
from generator.render.urls import SiteUrls
from generator.render.views import Neighbour, StoryView, TermLinks, story_view
from generator.search.plan import search_entry
from generator.search.tokens import DocText

Made = tuple[RenderedDoc, list[Problem]]
MarkdownMemo = Memo[str, Made]


def markdown_inputs(doc: Story | Page, lint: Lint) -> tuple[str, int, str, str, str]:
    """What a document's rendered Markdown (and its lint) depends on besides the site's URLs and files."""
    # The source digest stands for the body, the lint's mark for terms.yaml and banned.yaml:
    # comparing them is cheap, and they can be stored.
    return (doc.url, doc.body_line, doc.summary, doc.source_digest, lint.mark)


def render_docs(shared: tuple[SiteUrls, frozenset[str], Lint], docs: Sequence[Story | Page]) -> list[Made]:
    """Render a batch of Markdown bodies (in a worker process when there are many)."""
    urls, files, lint = shared
    parser = make_parser()
    return [render_doc(parser, doc, urls, files, lint=lint) for doc in docs]


def render_one(doc: Story | Page, urls: SiteUrls, files: frozenset[str], lint: Lint) -> Made:
    """Render one document's Markdown."""
    return render_docs((urls, files, lint), [doc])[0]


def _render_batch(shared: tuple[SiteUrls, frozenset[str], Lint, Sequence[Story | Page]], positions: Sequence[int]
                  ) -> list[Made]:
    """Render the Markdown of the documents at these positions (in a worker process when there are many)."""
    urls, files, lint, docs = shared
    return render_docs((urls, files, lint), [docs[i] for i in positions])


def render_markdown(site: Site, urls: SiteUrls, memo: MarkdownMemo, unchanged: bool = False,
                    processes: Processes = ALONE) -> tuple[dict[str, RenderedDoc], list[Problem]]:
    """Render every document's Markdown, reusing what is still valid.

    ``unchanged`` says that no URL and no file changed since the last run, so that
    every remembered link is known to resolve as before without checking each one.
    """
    def still_valid(value: Made) -> bool:
        # Documents with errors are rendered again so that their hints stay current (the nearest name
        # of a missing file); a warning depends only on the text and on the lookups checked here.
        return not has_errors(value[1]) and (unchanged or value[0].still_valid(urls, site.files))

    if not unchanged:
        memo.forget_checked()
    checked, entries, lint = memo.checked_against, memo.entries, site.lint
    stale = []
    for doc in site.documents:
        path = doc.source_path
        if checked.get(path) is doc and not has_errors(entries[path][1][1]):
            continue  # the very document checked last time, with every link known to resolve
        if memo.valid(path, markdown_inputs(doc, lint), still_valid):
            checked[path] = doc
        else:
            stale.append(doc)
    if processes.method == "fork":
        # Positions, not documents, go to the workers: they have the documents by fork already.
        made = map_chunks(_render_batch, (urls, site.files, lint, stale), range(len(stale)), processes)
    else:  # each document goes pickled to the one worker that renders it, not to every worker
        made = map_chunks(render_docs, (urls, site.files, lint), stale, processes)
    for doc, made_value in zip(stale, made, strict=True):
        memo.store(doc.source_path, markdown_inputs(doc, lint), made_value)
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
SearchColumns = tuple[list[DocText], list[Plan], list[str]]


class StoryOutputs(NamedTuple):
    """What one story's journey makes from its rendered Markdown: its view, its page, its search entry.

    A named tuple, not a frozen dataclass: one is made per story on every in-memory run, and a
    frozen dataclass's ``__init__`` costs several times as much.
    """

    view: StoryView
    """What lists and neighbours show of it (and its own page)."""
    page: PagePlan
    search: SearchEntry
    group: list[PagePlan]
    """The page's group for the page planners: ``[page]``, the very list of the last run while unchanged."""


@dataclass
class JourneyTables:
    """The journey's memo tables, kept between runs: each step is made again only when its own inputs change.

    The steps have tables of their own because their inputs differ: a story numbered anew (one
    inserted before it) needs a new search entry but not a new view or page; a neighbour's new
    title needs a new page but not a new view.
    """

    views: Memo[str, StoryView] = field(default_factory=Memo)
    pages: Memo[str, list[PagePlan]] = field(default_factory=Memo)
    """A story page's group as the page planners take it: a list of its one plan, the same list while unchanged."""
    search: Memo[str, SearchEntry] = field(default_factory=Memo)
    current: Journeys | None = None
    """Every story's outputs as of the last run."""
    ids: dict[str, int] = field(default_factory=dict)
    """Source path → the story's id (oldest first) as of the last full run."""


@dataclass(frozen=True)
class Journeys:
    """Every story's outputs, as the planners take them."""

    views: dict[str, StoryView]
    """By source path, kind by kind, each newest first."""
    pages: dict[str, list[PagePlan]]
    """Each story page's group (a list of its one plan), likewise."""
    search: SearchColumns
    """The stories' search entries by id (oldest first), as columns: texts, files' plans, fingerprints."""


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
    common: tuple[Any, ...] = field(init=False)
    """What every story's search entry shows besides the story: the units, activities, strings."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "common", (self.site.units, self.site.activities, self.theme.strings))


Item = tuple[int, Story, Neighbour | None, Neighbour | None]
"""A story on its journey: its id (oldest first), the story, its older and newer neighbours."""


def _item(listed: Sequence[Story], doc_id: int, index: int) -> Item:
    """The story at ``index`` of its kind's list (newest first), with its id and its neighbours there."""
    older, newer = near(listed, index)
    return (doc_id, listed[index], None if older is None else Neighbour(older.title, older.url),
            None if newer is None else Neighbour(newer.title, newer.url))


def items(site: Site, indexes: Indexes) -> list[Item]:
    """Every story of the site in id order (oldest first), with its neighbours in its kind's list.

    The story pass sends them to its workers in their chunks, pickled, rather than by fork: a
    worker reading the parent's stories would write to their pages (reference counts) and so
    copy most of them, each worker for itself.
    """
    where = {story.source_path: (listed, index)
             for listed in indexes.by_kind.values() for index, story in enumerate(listed)}
    made = []
    for doc_id, story in enumerate(reversed(site.stories)):
        listed, index = where[story.source_path]
        made.append(_item(listed, doc_id, index))
    return made


def story_journey(tools: StoryTools, item: Item, rendered: RenderedDoc,
                  tables: JourneyTables | None = None) -> StoryOutputs:
    """Take one story from its rendered Markdown to its view, its page and its search entry.

    With ``tables`` each step is reused while its inputs are the same (the in-memory modes);
    without, made afresh (the story pass, which sees each story once).
    """
    doc_id, story, older, newer = item
    site, theme = tools.site, tools.theme
    if tables is None:
        view = story_view(story, site, rendered, tools.urls, theme.text, tools.links)
        page = story_page(view, rendered.html, older, newer)
        return StoryOutputs(view, page, search_entry(doc_id, story, rendered, site, theme), [page])
    path = story.source_path
    # The unit and activity tuples and the strings are the same objects while unchanged; where the story
    # stands in the review (its banner in a preview) may change with site.yaml while the story does not.
    inputs = (story, rendered, site.units, site.activities, theme.strings, site.review_of(path))
    view = tables.views.get(path, inputs, story_view, story, site, rendered, tools.urls, theme.text, tools.links)
    group = tables.pages.get(path, (view, rendered.html, older, newer), _page_group, view, rendered.html, older, newer)
    search = tables.search.get(path, (doc_id, story, rendered.text, tools.common), search_entry, doc_id, story,
                               rendered, site, theme)
    return StoryOutputs(view, group[0], search, group)


def _page_group(view: StoryView, body: str, older: Neighbour | None, newer: Neighbour | None) -> list[PagePlan]:
    return [story_page(view, body, older, newer)]


def story_views(tools: StoryTools, rendered: dict[str, RenderedDoc]) -> dict[str, StoryView]:
    """The first step of every story's journey alone: what the lists show of it (a fresh build's parent)."""
    site, text, links = tools.site, tools.theme.text, tools.links
    return {story.source_path: story_view(story, site, rendered[story.source_path], tools.urls, text, links)
            for story in site.stories}


def story_outputs(tools: StoryTools, item: Item, body: str) -> tuple[RenderedDoc, list[Problem], StoryOutputs]:
    """Take one story from its Markdown body to its page, its search entry and its problems (the story pass)."""
    rendered, problems = render_doc(tools.parser, item[1], tools.urls, tools.site.files, body, tools.site.lint)
    return rendered, problems, story_journey(tools, item, rendered)


def journeys(tools: StoryTools, indexes: Indexes, rendered: dict[str, RenderedDoc], tables: JourneyTables,
             edited: Sequence[Story] | None = None) -> Journeys:
    """Every story's outputs, each step reused while its inputs are unchanged (kept in ``tables.current``).

    With ``edited`` (stories that kept their places, see ``serve_patch``) only their journeys and
    their neighbours' (whose pages show their titles) are taken again; the others keep their last outputs.
    """
    if edited is None or tables.current is None:
        return _all_journeys(tools, indexes, rendered, tables)
    last = tables.current
    views, pages = dict(last.views), dict(last.pages)
    texts, files, marks = list(last.search[0]), list(last.search[1]), list(last.search[2])
    for story in edited:
        listed = indexes.by_kind[story.kind.key]
        # By identity: the edited story is the very object in its list (``indexes.swap``).
        index = next(i for i, listed_story in enumerate(listed) if listed_story is story)
        for near_index in range(max(0, index - 1), min(len(listed), index + 2)):
            path = listed[near_index].source_path
            doc_id = tables.ids[path]
            made = story_journey(tools, _item(listed, doc_id, near_index), rendered[path], tables)
            views[path], pages[path] = made.view, made.group
            texts[doc_id], files[doc_id], marks[doc_id] = made.search
    tables.current = Journeys(views, pages, (texts, files, marks))
    return tables.current


def _all_journeys(tools: StoryTools, indexes: Indexes, rendered: dict[str, RenderedDoc],
                  tables: JourneyTables) -> Journeys:
    """Every story's journey, kind by kind, each list newest first."""
    stories = tools.site.stories
    last_id = len(stories) - 1
    ids = {story.source_path: last_id - place for place, story in enumerate(stories)}
    views, pages = {}, {}
    # Each filled below, by id.
    texts: list[DocText] = [None] * len(stories)  # type: ignore[list-item]
    files: list[Plan] = [None] * len(stories)  # type: ignore[list-item]
    marks: list[str] = [None] * len(stories)  # type: ignore[list-item]
    for listed in indexes.by_kind.values():
        last = len(listed) - 1
        for index, story in enumerate(listed):
            # ``_item`` inlined: once per story on every full run, the call and ``near`` cost 3–4 %
            # of a date edit at 5,000 stories (162 → 168 ms, median of 10, alternating).
            path = story.source_path
            older = listed[index + 1] if index < last else None
            newer = listed[index - 1] if index else None
            item = (ids[path], story, None if older is None else Neighbour(older.title, older.url),
                    None if newer is None else Neighbour(newer.title, newer.url))
            made = story_journey(tools, item, rendered[path], tables)
            views[path], pages[path] = made.view, made.group
            texts[item[0]], files[item[0]], marks[item[0]] = made.search
    for table in (tables.views, tables.pages, tables.search):
        table.retain(views)
    tables.ids, tables.current = ids, Journeys(views, pages, (texts, files, marks))
    return tables.current
