"""The whole site in memory: load, check, render every Markdown body, index and plan (``check``, the preview).

The mode that never declines for ``prepare``: it looks at everything, reusing what the
state's tables still hold from the last run, and reports every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from generator.content.checks import Keyed, content_checks, next_change, unused_terms
from generator.content.config import SiteConfig, load_config
from generator.content.load import LoadMany, load_content
from generator.content.model import Site
from generator.content.validate import validate_site
from generator.core.errors import Problem, SiteError, error, fails, has_errors, sort_problems
from generator.core.memo import stable
from generator.pipeline.journey import StoryTools, journeys, render_markdown
from generator.pipeline.mode import Job
from generator.pipeline.options import BuildOptions, Prepared
from generator.pipeline.state import BuildState, LastRun
from generator.render.checks import check_index, site_problems, stray_files
from generator.render.indexes import build_indexes
from generator.render.markdown import RenderedDoc
from generator.render.plan import plan_pages
from generator.render.plans import Plan
from generator.render.theme import Theme, load_theme
from generator.render.urls import SiteUrls, output_path
from generator.render.views import term_links
from generator.render.write import CopyFile
from generator.search.plan import plan_search


class Loaded(NamedTuple):
    """The checked site with its URLs and theme, and what the checks after rendering need of the content."""

    config: SiteConfig
    site: Site
    urls: SiteUrls
    theme: Theme
    unchanged: bool
    """Whether every URL and file is as in the last run (so that remembered links still resolve)."""
    problems: list[Problem]
    strays: tuple[str, ...]
    """Files that look like writing but are no story or page (``load.stray_files``)."""
    titles: list[Keyed]
    """Every published document's title (``checks.content_checks``), for the duplicate check."""


def load(options: BuildOptions, state: BuildState, changed: list[str] | None, story_bodies: bool = True,
         load_many: LoadMany | None = None) -> Loaded:
    """Read and check site.yaml, the content and the theme; raise SiteError when site.yaml is unusable.

    Also says whether every URL and file is as in the last run (so remembered links still resolve).
    """
    state.content.forget(changed or ())
    config, problems = load_config(options.site_dir)
    if has_errors(problems):
        raise SiteError(problems)
    tree, found = load_content(config.content_dir, state.content, changed, story_bodies, load_many)
    problems += found
    preview = bool(config.review_levels) if options.preview is None else options.preview
    site, found = validate_site(config, tree, options.drafts, state.validation, preview)
    checked, titles = content_checks(site, tree, options.date(), state.checks)
    problems += found + checked
    if options.infos:
        problems += unused_terms(site, tree)
    urls = stable(state.urls, SiteUrls(site.documents, site.left_out))
    unchanged = urls is state.urls and site.files is state.content_files
    theme, found = load_theme(config)
    theme = stable(state.theme, theme)
    state.urls, state.theme, state.content_files = urls, theme, site.files
    return Loaded(config, site, urls, theme, unchanged, problems + found, tree.strays, titles)


def copies(site: Site, urls: SiteUrls, rendered: dict[str, RenderedDoc], static: dict[str, Path]) -> list[CopyFile]:
    """Collect the content files and theme files the site publishes unchanged."""
    wanted: set[str] = set()
    for doc in site.documents:
        if doc.bundle_dir:
            wanted.update(urls.bundle_files(doc.bundle_dir, site.files))
    wanted.update(story.cover for story in site.stories if story.cover)
    for result in rendered.values():
        wanted.update(result.assets)
    content = site.config.content_dir
    found = [CopyFile(urls.asset_url(path), content.joinpath(*path.split("/"))) for path in sorted(wanted)]
    found += [CopyFile(path, source) for path, source in static.items()]
    return found


def collisions(paths: Iterable[str], copied: list[CopyFile], site_dir: Path) -> list[Problem]:
    """A file copied where a page is written (the output paths of every page and data file).

    Paths are compared without letter case: on a Windows server ``Index.HTML`` is ``index.html``.
    """
    seen = {path.casefold(): path for path in paths}
    problems = []
    for copy in copied:
        taken = seen.get(copy.path.casefold())
        if taken is not None:
            shown = copy.source.relative_to(site_dir) if copy.source.is_relative_to(site_dir) else copy.source
            problems.append(error(shown.as_posix(), 0, f"文件会覆盖网站的页面“{taken}”", "给文件或文件夹换个名字"))
        seen[copy.path.casefold()] = copy.path
    return problems


def prepare(job: Job, state: BuildState) -> Prepared:
    """Load, check and plan the whole site without writing; raise SiteError on errors."""
    state.last = None
    options = job.options
    config, site, urls, theme, unchanged, problems, strays, titles = load(options, state, job.changed)
    rendered, found = render_markdown(site, urls, state.markdown, unchanged, job.processes)
    index = check_index(titles, rendered)
    problems += found + site_problems(index) + stray_files(rendered, strays)
    if fails(problems, options.strict):
        raise SiteError(problems)
    indexes = build_indexes(site)
    stories = journeys(StoryTools(site, urls, theme, term_links(site)), indexes, rendered, state.journeys)
    planned = plan_pages(site, indexes, rendered, theme, stories.views, stories.pages, state.plans)
    searched = plan_search(site, indexes, theme, state.search, stories.search, job.processes)
    plans: list[Plan] = [*planned.pages, *searched]
    static = theme.static_files()
    copied = copies(site, urls, rendered, static)
    problems += collisions((output_path(plan.url) for plan in plans), copied, options.site_dir)
    if fails(problems, options.strict):
        raise SiteError(problems)
    prepared = Prepared(config, site, plans, copied, theme, tuple(sort_problems(problems)),
                        index=index, until=next_change(site, options.date()))
    state.last = LastRun(prepared, rendered, indexes, static)
    return prepared
