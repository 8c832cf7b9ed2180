"""Render the site: fill each planned page's template (``plan`` decides what pages exist).

Writes no files: ``write`` does.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.content.model import KINDS, Site
from generator.core.errors import Problem, SiteError, error
from generator.render.plans import DataPlan, Plan
from generator.render.theme import FRAGMENTS, Theme
from generator.render.urls import linker, output_path
from generator.render.views import Link, kind_label, kind_url


@dataclass(frozen=True)
class OutputFile:
    """A rendered file, ready to write."""

    path: str
    data: bytes


def _site_context(site: Site, theme: Theme) -> dict[str, Any]:
    config = site.config
    nav = [Link(kind_label(theme.text, k.key), kind_url(k.folder)) for k in KINDS]
    nav += [Link(theme.text("nav_units"), "units/"), Link(theme.text("nav_activities"), "activities/"),
            Link(theme.text("nav_archive"), "archive/")]
    return {
        "site": {"title": config.title, "description": config.description, "language": config.language,
                 "base_url": config.base_url},
        # A preview (stories not yet approved in it) says so on every page, and asks not to be indexed.
        "preview": site.preview,
        "nav": nav,
        "page_links": [Link(p.title, p.url) for p in site.pages],
    }


def _template_problem(exc: Exception, template: str, dirs: Sequence[Path]) -> Problem:
    """Turn a Jinja2 error into a Problem that names the template file and line."""
    filename, line = None, 0
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename, exc.lineno or 0
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".html", ".xml")):
                filename, line = frame.filename, frame.lineno or 0
                break
    shown = f"templates/{template}"
    if filename:
        for folder in dirs:
            try:
                shown = Path(filename).resolve().relative_to(folder.resolve().parent.parent).as_posix()
                break
            except ValueError:
                continue
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return error(shown, line, f"模板出错：{message}", "检查主题模板中的变量名和标签是否成对")


def fingerprint(site: Site, theme: Theme) -> tuple[dict[str, Any], dict[str, str]]:
    """What every page shows besides its own context: a change here re-renders every page."""
    return _site_context(site, theme), theme.strings


def render_pages(plans: Iterable[Plan], site: Site, theme: Theme,
                 env: jinja2.Environment | None = None) -> Iterator[OutputFile]:
    """Fill each plan's template (or make its data); template errors are raised as a SiteError naming the template."""
    env = env or theme.environment()
    # Parts of pages that templates keep with {% cache %}, for this run only: the site-wide context may change.
    common = {**_site_context(site, theme), FRAGMENTS: {}}
    for plan in plans:
        if isinstance(plan, DataPlan):
            yield OutputFile(output_path(plan.url), plan.make(plan.context))
            continue
        here = plan.url
        try:
            template = env.get_template(plan.template)
            html = template.render({**common, **plan.context, "page_url": here, "url": linker(here)})
        except (jinja2.TemplateError, KeyError, AttributeError, TypeError, ValueError) as exc:
            raise SiteError([_template_problem(exc, plan.template, theme.dirs)]) from exc
        yield OutputFile(output_path(plan.url), html.encode("utf-8"))
