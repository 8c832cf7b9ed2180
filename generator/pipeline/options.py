"""What a build is asked to do, what it reports, and the checked site a build writes (``Prepared``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.content.config import SiteConfig
from generator.content.model import Site
from generator.core.errors import Problem
from generator.render.checks import CheckIndex
from generator.render.plans import Plan, page_count
from generator.render.theme import Theme
from generator.render.write import CopyFile


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked of one build."""

    site_dir: Path
    out_dir: Path | None = None
    """Defaults to output/ in the site folder."""
    drafts: bool = False
    preview: bool | None = False
    """Include stories not approved at every review level and mark every page as a preview.
    None: only when site.yaml sets review levels (``dangjian serve``)."""
    progress: bool | None = None
    """Show a progress bar: None means only on a terminal."""
    jobs: int | None = None
    """Processes for a full build: None means one per core. Updates (serve) use one."""
    cache: bool = True
    """Use and update the build cache in .dangjian-cache/."""
    strict: bool = False
    """Fail on warnings too (``--strict``), before anything is written."""
    infos: bool = False
    """Look for infos too (units and activities without a story): ``dangjian check`` shows them, builds do not."""
    today: dt.date | None = None
    """The date stories must not be later than (a warning); None: the computer's date. Output never depends on it."""

    @property
    def output(self) -> Path:
        """The output folder: output/, or preview/ for a preview, which must never replace the published site."""
        return self.out_dir or self.site_dir / ("preview" if self.preview else "output")

    def date(self) -> dt.date:
        """Today, as far as the checks are concerned."""
        return self.today or dt.datetime.now().astimezone().date()


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    out_dir: Path
    stories: int
    pages: int
    files: int
    """Files written (and, for an update, removed)."""
    warnings: tuple[Problem, ...]
    rendered: int = 0
    """Pages whose template was filled this time."""
    data: int = 0
    """Data files (search index) made this time."""
    mode: str = ""
    """The name of the mode that made it (see ``builder.BUILD_MODES``)."""

    @property
    def up_to_date(self) -> bool:
        """Nothing the site is made from had changed, so nothing was even read."""
        return self.mode == "up-to-date"

    @property
    def from_graph(self) -> bool:
        """Only a few stories' texts had changed: only they were read, from the graph the last build stored."""
        return self.mode == "from-graph"


@dataclass(frozen=True)
class Prepared:
    """A checked site with everything needed to write it."""

    config: SiteConfig
    site: Site
    plans: list[Plan]
    copies: list[CopyFile]
    theme: Theme
    warnings: tuple[Problem, ...]
    fresh: list[Plan] | None = None
    """Plans that may differ from the last run's (the others are the very same objects); None: any may."""
    index: CheckIndex | None = None
    """What the site-wide checks looked at, for the incremental modes to check edits against."""
    until: str | None = None
    """The first day (ISO) on which the checks may say otherwise with nothing changed (``checks.next_change``)."""

    @property
    def pages(self) -> int:
        """How many plans are pages (the others are data files)."""
        return page_count(self.plans)
