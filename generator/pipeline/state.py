"""The dependency graph's tables that one ``Builder`` keeps between runs of the same site (``serve``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.content.checks import ChecksCache
from generator.content.load import ContentCache
from generator.content.model import Site
from generator.content.validate import ValidationCache
from generator.core.digest import Digester
from generator.core.memo import Memo
from generator.pipeline.journey import JourneyTables, MarkdownMemo
from generator.pipeline.options import Prepared
from generator.render.indexes import Indexes
from generator.render.markdown import RenderedDoc
from generator.render.pages import fingerprint
from generator.render.plan import PlanCache
from generator.render.plans import Plan, plan_inputs
from generator.render.theme import Theme, template_digests
from generator.render.urls import SiteUrls
from generator.search.plan import SearchState


@dataclass
class LastRun:
    """What the last successful ``prepare`` made: the start of the next one when only a few documents changed."""

    prepared: Prepared
    rendered: dict[str, RenderedDoc]
    indexes: Indexes
    static: dict[str, Path]
    """The theme's static files."""
    places: dict[str, int] | None = None
    """Source path → position in the site's stories or pages; made when first needed."""
    folders: dict[str, tuple[str, str | None]] | None = None
    """Content path of each Markdown source → (top folder, bundle folder); made when first needed."""


@dataclass
class BuildState:
    """The tables of the dependency graph, kept between builds of one site."""

    content: ContentCache = field(default_factory=ContentCache)
    validation: ValidationCache = field(default_factory=ValidationCache)
    checks: ChecksCache = field(default_factory=ChecksCache)
    """Each document's own checks (``content.checks``), reused while it is the same checked document."""
    markdown: MarkdownMemo = field(default_factory=Memo)
    plans: PlanCache = field(default_factory=PlanCache)
    journeys: JourneyTables = field(default_factory=JourneyTables)
    """Each story's view, page and search entry (``journey.journeys``)."""
    environment: Memo[str, tuple[jinja2.Environment, dict[str, str]]] = field(default_factory=Memo)
    templates: Memo[str, frozenset[str]] = field(default_factory=Memo)
    """Template name → the templates it references, kept while its source is unchanged."""
    urls: SiteUrls | None = None
    content_files: frozenset[str] | None = None
    """The content files of the last run (``Site.files``): unchanged, every link checked then still resolves."""
    theme: Theme | None = None
    pages: dict[str, Any] = field(default_factory=dict)
    """Page URL → fingerprint of what the page was last rendered from."""
    copies: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Output path → (mtime, size) of the file last copied there."""
    common: tuple[dict[str, Any], dict[str, str]] | None = None
    """What every page shows besides its own context (see ``render.pages.fingerprint``)."""
    digests: dict[str, str] | None = None
    """The template fingerprints the pages in ``pages`` were compared with."""
    last: LastRun | None = None
    search: SearchState = field(default_factory=SearchState)


def environment(state: BuildState, theme: Theme) -> tuple[jinja2.Environment, dict[str, str]]:
    """Return the Jinja2 environment and template fingerprints, made again when the theme changed."""
    probe = theme.environment()
    digests = template_digests(probe, state.templates)
    return state.environment.get("theme", (theme.dirs, theme.strings, digests), lambda: (probe, digests))


def page_digests(state: BuildState, site: Site, theme: Theme, plans: Iterable[Plan]) -> dict[str, str]:
    """Fingerprint each page's inputs: its template (with those it uses), the site-wide context, its own."""
    _, templates = environment(state, theme)
    digester, common = Digester(), fingerprint(site, theme)
    return {p.url: digester.digest(plan_inputs(p, templates, common)) for p in plans}
