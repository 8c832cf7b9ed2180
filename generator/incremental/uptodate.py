"""Is the output already up to date? Answered from file sizes and times, before anything is read.

This is the whole of a no-change build: fingerprint what a build reads (content/,
themes/, the built-in theme, site.yaml, the options), compare it with the fingerprint
the last successful build stored in the cache, and check that the output folder still
holds exactly the files that build wrote. It imports little, so that such a build
takes a fraction of a second.
"""

from __future__ import annotations

import marshal
import sys
import time
from pathlib import Path

from generator.core.scan import Manifest, Signature, builtin_theme_dir, scan_content, survey
from generator.incremental import store

try:  # hashlib's own blake2b; importing hashlib would also load OpenSSL, a few milliseconds for nothing here
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the module
    from hashlib import blake2b

TYPE_CHECKING = False
if TYPE_CHECKING:
    import threading

    from generator.core.errors import Problem

# A file saved within the clock's coarse tick before the fingerprint may change again unseen.
RACY_SECONDS = 2

# The classes below are plain ones, not dataclasses: this module is all a build with nothing
# to do imports, and dataclasses (through inspect) would take a tenth of that build to import.


class Inputs:
    """The fingerprint of a build's inputs, and the content scan it was taken from."""

    __slots__ = ("content", "digest", "rest", "scanned_at")

    def __init__(self, digest: str, content: dict[str, Signature], rest: str = "", scanned_at: int = 0) -> None:
        self.digest = digest
        """Empty when some file is too recent to trust its time."""
        self.content = content
        self.rest = rest
        """Fingerprint of everything but content/ (themes, site.yaml, options); empty when a file is too recent."""
        self.scanned_at = scanned_at
        """When the files were looked at (ns)."""


class LastBuild:
    """What the last build reported, for a build that finds nothing to do."""

    __slots__ = ("pages", "stories", "until", "warnings")

    def __init__(self, stories: int, pages: int, warnings: tuple[Problem, ...], until: str | None = None) -> None:
        self.stories = stories
        self.pages = pages
        self.warnings = warnings
        self.until = until
        """The first day (ISO) on which its warnings may no longer hold with nothing changed (a story's date)."""


def today() -> str:
    """The computer's date, ISO (``time`` rather than ``datetime``: this module is kept small to import)."""
    return time.strftime("%Y-%m-%d")


def fingerprint(site_dir: Path, out_dir: Path, drafts: bool, preview: bool = False) -> Inputs:
    """Fingerprint everything a build of this site reads, by file size and time."""
    scanned_at = time.time_ns()
    content = scan_content(site_dir / "content") if (site_dir / "content").is_dir() else {}
    files: dict[str, Signature] = {}
    for folder in (site_dir / "themes", builtin_theme_dir()):
        if folder.is_dir():
            # Hidden files are left out, as the theme's loaders leave them out.
            files.update((f"{folder}/{rel}", signature) for rel, signature in scan_content(folder).items())
    config = site_dir / "site.yaml"
    if config.is_file():
        info = config.stat()
        files["site.yaml"] = (info.st_mtime_ns, info.st_size)
    racy_ns = scanned_at - RACY_SECONDS * 1_000_000_000
    options = (str(out_dir.resolve()), drafts, preview)
    if any(mtime >= racy_ns for mtime, _ in files.values()):
        return Inputs("", content, "", scanned_at)
    rest = _digest((sorted(files.items()), options))
    if any(mtime >= racy_ns for mtime, _ in content.values()):
        return Inputs("", content, rest, scanned_at)
    return Inputs(_digest((rest, sorted(content.items()))), content, rest, scanned_at)


def _digest(value: object) -> str:
    return blake2b(repr(value).encode(), digest_size=16).hexdigest()


SURVEY_PROCESS_FILES = 5_000
"""From this many output files (as the last build left them) on, a helper process surveys the folder."""
_SURVEY = ("import marshal, pathlib, sys\nsys.path.insert(0, sys.argv[2])\nfrom generator.core.scan import survey\n"
           "sys.stdout.buffer.write(marshal.dumps(survey(pathlib.Path(sys.argv[1]))))")
"""The helper's program: ``-I`` keeps the site folder off its path, so this very package is put first."""


class Survey:
    """The output folder's files, looked at by a helper process while the build starts (imports, the cache).

    A survey is one ``stat`` per file, 13,000 files at 5,000 stories. In a thread each of them
    waits for the interpreter lock that the starting build holds; a process runs them on another
    core. Small folders (and any folder where the process fails) are surveyed here, when asked.
    """

    def __init__(self, out_dir: Path, wanted: bool = True, files: int = 0) -> None:
        self._out_dir = out_dir
        self._found: Manifest | None = None
        # Without the cache nothing compares the folder with anything.
        self._pending = wanted and out_dir.is_dir()
        self._thread: threading.Thread | None = None
        if self._pending and files >= SURVEY_PROCESS_FILES:  # starting the process costs about 20 ms
            import threading  # only here: a build with nothing to do in a small site does without

            self._thread = threading.Thread(target=self._ask_process, daemon=True)
            self._thread.start()

    def _ask_process(self) -> None:
        import subprocess

        try:
            # This thread only waits for the process's answer, with the lock released.
            package_parent = str(Path(__file__).resolve().parent.parent.parent)
            done = subprocess.run([sys.executable, "-I", "-c", _SURVEY, str(self._out_dir), package_parent],
                                  capture_output=True, check=True, timeout=600)
            self._found = marshal.loads(done.stdout)
        except (OSError, subprocess.SubprocessError, ValueError, EOFError, TypeError):
            self._found = None

    def result(self) -> Manifest | None:
        """Every file of the output folder with its (size, mtime); None when there is no folder."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._pending and self._found is None:
            try:
                self._found = survey(self._out_dir)
            except OSError:
                self._found = None  # changing under us: trusted by nobody
        self._pending = False
        return self._found


def current(snapshot: store.Snapshot, inputs: Inputs, output: Survey, day: str = "") -> LastBuild | None:
    """Return the last build's report if its inputs are these, its output is untouched and its warnings still hold.

    ``day`` is today (ISO): a story dated in the future is one no longer once that day comes.
    """
    last = snapshot.table("build").get("last")
    if not inputs.digest or last is None or last[0] != inputs.digest:
        return None
    manifest, stories, pages, warnings, until = last[1]
    if until is not None and (day or today()) >= until:
        return None
    return LastBuild(stories, pages, warnings, until) if output.result() == manifest else None


class Check:
    """A build's look at its inputs and at the cache, before anything is read: reused by the build that follows."""

    __slots__ = ("inputs", "last", "output", "snapshot")

    def __init__(self, snapshot: store.Snapshot, inputs: Inputs, output: Survey, last: LastBuild | None) -> None:
        self.snapshot = snapshot
        self.inputs = inputs
        self.output = output
        self.last = last
        """The last build's report when the output is current."""


def check(site_dir: Path, out_dir: Path, drafts: bool, use_cache: bool = True, preview: bool = False,
          day: str = "") -> Check:
    """Fingerprint the inputs and tell whether the output is current (never, without the cache); ``day``: today."""
    snapshot = store.load(site_dir) if use_cache else store.Snapshot()
    output = Survey(out_dir, wanted=use_cache, files=snapshot.output_files)
    inputs = fingerprint(site_dir, out_dir, drafts, preview)
    return Check(snapshot, inputs, output, current(snapshot, inputs, output, day))


def remember(inputs: Inputs, built: LastBuild, output: dict[str, tuple[int, int]]) -> tuple[str, object]:
    """Return the cache row that lets the next build find this one current.

    ``output`` is every file of the output folder with its (size, mtime), as the build left it.
    """
    return inputs.digest, (output, built.stories, built.pages, built.warnings, built.until)
