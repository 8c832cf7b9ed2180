"""The build: load → validate → model → render Markdown → index → render pages → write.

This module only sequences the stages; each stage lives in its own module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from generator.config import SiteConfig, load_config
from generator.content import load_content
from generator.errors import Problem, SiteError, error, has_errors
from generator.indexes import build_indexes
from generator.markdown import RenderedDoc, make_parser, render_doc
from generator.model import Site
from generator.progress import Progress
from generator.render import PagePlan, plan_pages, render_pages
from generator.theme import Theme, load_theme
from generator.urls import SiteUrls, output_path
from generator.validate import validate_site
from generator.write import CopyFile, check_output_dir, write_site


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked of one build."""

    site_dir: Path
    out_dir: Path | None = None
    """Defaults to output/ in the site folder."""
    drafts: bool = False
    progress: bool | None = None
    """Show a progress bar: None means only on a terminal."""


@dataclass(frozen=True)
class BuildReport:
    """What a successful build did."""

    out_dir: Path
    stories: int
    pages: int
    files: int
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class Prepared:
    """A checked site with everything needed to write it."""

    config: SiteConfig
    site: Site
    plans: list[PagePlan]
    copies: list[CopyFile]
    theme: Theme
    warnings: tuple[Problem, ...]


def _render_markdown(site: Site, urls: SiteUrls, md: MarkdownIt) -> tuple[dict[str, RenderedDoc], list[Problem]]:
    rendered: dict[str, RenderedDoc] = {}
    problems: list[Problem] = []
    for doc in site.documents:
        result, found = render_doc(md, doc, urls, site.files)
        rendered[doc.source_path] = result
        problems += found
    return rendered, problems


def _copies(site: Site, urls: SiteUrls, rendered: dict[str, RenderedDoc], theme: Theme) -> list[CopyFile]:
    """Collect the content files and theme files the site publishes unchanged."""
    wanted: set[str] = set()
    for doc in site.documents:
        if doc.bundle_dir:
            wanted.update(urls.bundle_files(doc.bundle_dir, site.files))
    wanted.update(story.cover for story in site.stories if story.cover)
    for result in rendered.values():
        wanted.update(result.assets)
    content = site.config.content_dir
    copies = [CopyFile(urls.asset_url(path), content.joinpath(*path.split("/"))) for path in sorted(wanted)]
    copies += [CopyFile(path, source) for path, source in theme.static_files().items()]
    return copies


def _collisions(plans: list[PagePlan], copies: list[CopyFile]) -> list[Problem]:
    seen = {output_path(p.url): p.url for p in plans}
    problems = []
    for copy in copies:
        if copy.path in seen:
            problems.append(error(str(copy.source), 0, f"文件会覆盖网站的页面“{copy.path}”", "给文件或文件夹换个名字"))
        seen[copy.path] = copy.path
    return problems


def prepare(options: BuildOptions) -> Prepared:
    """Load, check and plan the whole site without writing anything; raise SiteError on errors."""
    config, problems = load_config(options.site_dir)
    if has_errors(problems):
        raise SiteError(problems)
    tree, found = load_content(config.content_dir)
    problems += found
    site, found = validate_site(config, tree, options.drafts)
    problems += found
    urls = SiteUrls(site.documents)
    rendered, found = _render_markdown(site, urls, make_parser())
    problems += found
    theme, found = load_theme(config)
    problems += found
    if has_errors(problems):
        raise SiteError(problems)
    plans = plan_pages(site, build_indexes(site), rendered, urls, theme)
    copies = _copies(site, urls, rendered, theme)
    problems += _collisions(plans, copies)
    if has_errors(problems):
        raise SiteError(problems)
    return Prepared(config, site, plans, copies, theme, tuple(sorted(set(problems))))


def build(options: BuildOptions) -> BuildReport:
    """Build the site into the output folder, replacing it whole; raise SiteError on errors."""
    out_dir = options.out_dir or options.site_dir / "output"
    check_output_dir(out_dir, options.site_dir)
    prepared = prepare(options)
    progress = Progress(len(prepared.plans) + len(prepared.copies), "构建", enabled=options.progress)
    try:
        count = write_site(out_dir, ((f.path, f.data) for f in render_pages(prepared.plans, prepared.site,
                                                                            prepared.theme)),
                           prepared.copies, on_file=progress.advance)
    finally:
        progress.close()
    return BuildReport(out_dir, len(prepared.site.stories), len(prepared.plans), count, prepared.warnings)
