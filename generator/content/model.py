"""The domain model: frozen dataclasses for stories, units, activities and the site.

No I/O happens here; everything is built by ``validate`` from loaded sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.content.config import SiteConfig
from generator.content.terms import NO_LINT, Lint


@dataclass(frozen=True)
class Kind:
    """A kind of story, defined by the folder it lives in."""

    key: str
    """Singular name used on the command line and in templates: branch, post, case."""
    folder: str
    """Folder under content/ and in the output: branches, posts, cases."""
    fields: tuple[str, ...]
    """Front-matter fields that only this kind has."""


KINDS: tuple[Kind, ...] = (
    Kind("branch", "branches", ()),
    Kind("post", "posts", ("holder", "position")),
    Kind("case", "cases", ("target", "funds_yuan", "households")),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS}
PAGES_FOLDER = "pages"


@dataclass(frozen=True)
class Unit:
    """An organ or department (单位); units form a hierarchy through ``parent``."""

    id: str
    name: str
    parent: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Activity:
    """An activity theme (活动主题) such as 创先争优."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Approval:
    """One recorded review (三审三校): who approved a story at which level, when, and which text they saw."""

    level: str
    name: str
    date: dt.date
    fingerprint: str
    """The story's review fingerprint (``review.fingerprint``) when it was approved."""


@dataclass(frozen=True)
class ReviewState:
    """Where a story stands when some review level has not approved its text as it is now."""

    waiting: str
    """The next level that must approve it."""
    done: tuple[Approval, ...]
    """Approvals of the text as it is now, in level order."""
    stale: tuple[Approval, ...]
    """Approvals of an earlier text; with none of the current one, the story is 改后待复核."""

    @property
    def edited(self) -> bool:
        """Approved once, then changed, and not yet approved again at any level (改后待复核)."""
        return bool(self.stale) and not self.done


@dataclass(frozen=True)
class Story:
    """One story: a model branch, a demonstration post or an assistance case."""

    kind: Kind
    slug: str
    title: str
    date: dt.date
    unit: str
    """The id of the story's unit."""
    activities: tuple[str, ...]
    """Ids of the story's activities, in the order the author gave them."""
    source_path: str
    """Path of the Markdown file relative to content/, with forward slashes."""
    body: str | None
    """None when the build reads it only where it renders it (see ``storypass``)."""
    body_line: int
    """File line on which the Markdown body starts."""
    summary: str = ""
    cover: str | None = None
    """Content-relative path of the cover image."""
    author: str = ""
    source: str = ""
    draft: bool = False
    bundle_dir: str | None = None
    """Content-relative folder of a bundle story, whose files are published beside it."""
    extra: tuple[tuple[str, Any], ...] = ()
    """Kind-specific fields in the order of ``Kind.fields`` (only those given)."""
    source_digest: str = ""
    """Fingerprint of the source file's text."""
    reviews: tuple[Approval, ...] = ()
    """The approvals recorded in its front matter (``reviews:``), as written."""
    reviewed: str = ""
    """Its review fingerprint as it is now; only worked out when it has approvals."""

    @cached_property
    def url(self) -> str:
        """Site-relative folder of the story's page, like ``posts/slug/``."""
        return f"{self.kind.folder}/{self.slug}/"

    @property
    def approved_levels(self) -> tuple[tuple[str, ...], bool]:
        """The levels that approved its text as it is now, and whether any approval is of an earlier text."""
        current = tuple(a.level for a in self.reviews if a.fingerprint == self.reviewed)
        return current, len(current) < len(self.reviews)


@dataclass(frozen=True)
class Page:
    """A standalone page such as 关于本站."""

    slug: str
    title: str
    source_path: str
    body: str
    body_line: int
    summary: str = ""
    draft: bool = False
    bundle_dir: str | None = None
    """Content-relative folder of a bundle page, whose files are published beside it."""
    source_digest: str = ""
    """Fingerprint of the source file's text."""

    @cached_property
    def url(self) -> str:
        """Site-relative folder of the page."""
        return f"{self.slug}/"


@dataclass(frozen=True)
class Site:
    """Everything a build knows about a site after validation."""

    config: SiteConfig
    units: tuple[Unit, ...]
    activities: tuple[Activity, ...]
    stories: tuple[Story, ...]
    """Newest first; ties broken by kind and slug so that the order is stable."""
    pages: tuple[Page, ...]
    files: frozenset[str]
    """Every non-Markdown file under content/, content-relative."""
    left_out: tuple[tuple[str, str], ...] = ()
    """Sources not published, with why: "draft", "review" (not approved at every level), or "invalid"
    (its own problems are reported)."""
    preview: bool = False
    """A preview build: stories not yet approved are in it, and every page says it is a preview."""
    unreviewed: tuple[tuple[str, ReviewState], ...] = ()
    """In a preview, each story in it that is not approved at every level, by source path."""
    lint: Lint = NO_LINT
    """The official formulations and banned words every text is checked against (terms.yaml, banned.yaml)."""

    @property
    def documents(self) -> tuple[Story | Page, ...]:
        """Every story, then every page."""
        return (*self.stories, *self.pages)

    @cached_property
    def units_by_id(self) -> dict[str, Unit]:
        """Units by id."""
        return {u.id: u for u in self.units}

    @cached_property
    def activities_by_id(self) -> dict[str, Activity]:
        """Activities by id."""
        return {a.id: a for a in self.activities}

    @cached_property
    def unreviewed_by_path(self) -> dict[str, ReviewState]:
        """Stories not yet approved (in a preview), by source path."""
        return dict(self.unreviewed)

    def review_of(self, source_path: str) -> ReviewState | None:
        """Where a story of a preview stands in the review; None when approved (or not a preview)."""
        return self.unreviewed_by_path.get(source_path) if self.unreviewed else None

    def unit(self, unit_id: str) -> Unit:
        """Return the unit with this id."""
        return self.units_by_id[unit_id]
