"""The mode for a build with nothing to do: ``uptodate`` found every input as the last build left it."""

from __future__ import annotations

from generator.core.errors import SiteError, fails
from generator.pipeline.mode import Job, require
from generator.pipeline.options import BuildReport
from generator.pipeline.state import BuildState


def build(job: Job, state: BuildState) -> BuildReport:
    """Report the last build again; decline unless the up-to-date check found nothing changed."""
    last = job.checked.last if job.checked is not None else None
    require(last is not None, "an input or the output folder changed since the last build")
    assert last is not None
    if fails(last.warnings, job.options.strict):
        raise SiteError(last.warnings)  # a strict build fails on the warnings the last build left
    return BuildReport(job.out_dir, last.stories, last.pages, 0, last.warnings, rendered=0)
