"""Time dangjian beside the minimal pipeline (bench/floor.py), Hugo, Pelican and MkDocs.

    .venv/bin/python -m bench.run [--sizes 1000,5000,50000] [--repeat 3]
                                  [--tools dangjian,floor,hugo,pelican,mkdocs] [--out bench/RESULTS.md]
                                  [--before REV]

For each size the corpus is generated once by ``bench/make_site.py`` under
/tmp/dangjian-bench/ and adapted once to each peer's format (``bench/peers/adapters.py``);
both are reused while their inputs are unchanged. Then, ``--repeat`` times, every tool is
run in turn (A/B/A/B…), each build a separate process timed for wall time and peak memory:

- dangjian ``cold``: output folder and SITE/.dangjian-cache/ moved away first, and ``--no-cache``
  passed when ``dangjian build --help`` lists it; ``cold-cache`` (only when --no-cache exists,
  since that cold build leaves no cache behind): moved away again and built without it, i.e. a
  first build that writes the cache; ``no-change``: built again right after; ``one-edit``: a
  sentence appended to one story (restored afterwards), then built, and the page checked for it.
- floor, hugo, pelican, mkdocs: ``cold`` only (output and caches moved away first).
- with ``--before REV``, also ``dangjian@<short sha>``: dangjian as of commit REV, extracted by
  ``git archive`` into /tmp/dangjian-bench/before-<sha>/, timed right after dangjian in every
  round and mode, on its own copy of the corpus (site-N-before/) and into its own output folder.
  Both dangjians then run as ``python -m generator``, differing only in PYTHONPATH.

What is moved away is deleted when the run ends: see ``_retire``.

The package's bytecode is compiled first (``compileall``), as installing it would.
A run over ``--timeout`` seconds (600) is killed and that tool is skipped for the rest of
the size ("did not finish"). Results: a Markdown report (``--out``), an SVG chart beside it,
raw numbers in /tmp/dangjian-bench/results.json (``--merge`` keeps the sizes of the last
run that this run does not measure).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.search_size import MARK_END, MARK_START

REPO = Path(__file__).resolve().parents[1]
ROOT = Path(os.environ.get("DANGJIAN_BENCH_ROOT", "/tmp/dangjian-bench"))
PEERS_VENV = ROOT / "peers-venv"
RETIRED = ROOT / "retired"
"""Outputs and caches moved out of the way before a cold build; deleted when the run ends (``clear_retired``)."""
RECENTLY_FREED_S = 361
"""ext4 without a journal passes over inodes freed in the last 60 s (360 s while their inode table
block is dirty) when it makes a file."""
RETIRE_MIN_FREE = 5 << 30
"""Below this much free disk an old output is deleted at once rather than set aside."""
PEER_PACKAGES = ("pelican[markdown]", "mkdocs")
ALL_TOOLS = ("dangjian", "floor", "hugo", "pelican", "mkdocs")
PEERS = ("hugo", "pelican", "mkdocs")
MODES = {"dangjian": ("cold", "cold-cache", "no-change", "one-edit")}
BEFORE_PREFIX = "dangjian@"
"""``--before REV`` adds the tool ``dangjian@<short sha>``: dangjian as of that commit."""
WITHIN = 0.10
"""Issue #16: a refactoring's medians should stay within 10 % of those before it."""
TARGETS = {"cold": 1.5, "cold-cache": 1.5, "no-change": 0.15, "one-edit": 0.2}
MEMORY_TARGET_MB, MEMORY_TARGET_SIZE = 400, 50_000
CHECK_SIZE = 1000
SAMPLE_SECONDS = 0.05
SAMPLER_SHARE = 50  # sleep at least 50 times as long as a sample took
IDLE_CORES = 0.15  # other processes may use this much CPU (cores) while we wait to start a run
IDLE_MAX_WAIT = 300.0
DISTURBED = 0.25  # a run during which others used more than this many cores on average is repeated
ATTEMPTS = 3
# Median wall times from issue #4 (same kind of machine and corpus), for reference.
ANCHORS = {
    "hugo": (0.33, 1.5), "eleventy": (1.1, 3.1), "pelican": (2.4, 12.0), "mkdocs": (2.7, 12.4), "floor": (0.46, 1.9),
}


def log(message: str) -> None:
    print(f"[{dt.datetime.now().astimezone():%H:%M:%S}] {message}", flush=True)


# --------------------------------------------------------------------------- measuring one process


@dataclass
class Run:
    """One measured process."""

    wall: float
    maxrss_kb: int
    """ru_maxrss from wait4: the largest single process among the child and its descendants."""
    tree_kb: int
    """Largest sampled sum of PSS over the child and all its descendants, in KiB."""
    returncode: int
    timed_out: bool = False
    pages: int = 0
    note: str = ""
    others_cpu: float = 0.0
    """CPU seconds used during the run by everything except the measured tree and the sampler (other jobs)."""
    attempts: int = 1
    commit: str = ""
    """dangjian's commit when the run started (dangjian runs only; for ``dangjian@<sha>``, that sha)."""
    user: float = 0.0
    """CPU seconds in user mode of the child and its descendants (wait4; 0: not recorded)."""
    system: float = 0.0
    """CPU seconds in the kernel of the child and its descendants (wait4; 0: not recorded)."""


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it (found through /proc/<pid>/stat's ppid)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):  # noqa: PTH208 - plain names are what is wanted, fast
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_bytes()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, ()))
    return found


def _tree_pss_kb(root: int) -> int:
    """Sum of PSS (shared pages divided among the processes sharing them) over ``root``'s tree, in KiB."""
    total = 0
    for pid in _descendants(root):
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_bytes()
            start = rollup.index(b"\nPss:") + 5
            total += int(rollup[start : rollup.index(b"kB", start)])
        except (OSError, ValueError):
            continue
    return total


def _cpu_busy_seconds() -> float:
    """Non-idle CPU time of the whole machine since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # minus idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def wait_idle(max_wait: float = IDLE_MAX_WAIT) -> float:
    """Wait (up to ``max_wait`` s) until other processes use less than IDLE_CORES; return the seconds waited."""
    waited = 0.0
    while True:
        before = _cpu_busy_seconds()
        time.sleep(1.0)
        if _cpu_busy_seconds() - before < IDLE_CORES or waited >= max_wait:
            return waited
        waited += 1.0


def measure(argv: Sequence[str], cwd: Path, log_file: Path, timeout: float,
            env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` to completion; wall time, wait4's ru_maxrss, sampled tree PSS; kill it after ``timeout`` s."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("wb") as output:
        busy_before = _cpu_busy_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True, env=env)
        peak_tree = 0
        sampler_cpu = 0.0
        done = threading.Event()
        killed = threading.Event()

        def sample() -> None:
            nonlocal peak_tree, sampler_cpu
            interval = SAMPLE_SECONDS
            while not done.wait(interval):
                cpu, wall = time.thread_time(), time.perf_counter()
                with contextlib.suppress(OSError, ValueError):
                    peak_tree = max(peak_tree, _tree_pss_kb(process.pid))
                sampler_cpu += time.thread_time() - cpu
                # Reading PSS walks the page tables, which takes long for big processes and costs CPU the
                # build should have: keep the sampler under about 2 % of a core.
                interval = max(SAMPLE_SECONDS, SAMPLER_SHARE * (time.perf_counter() - wall))

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        sampler = threading.Thread(target=sample, daemon=True)
        timer = threading.Timer(timeout, kill)
        sampler.start()
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            kill()
            raise
        finally:
            wall = time.perf_counter() - started
            timer.cancel()
            done.set()
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    with contextlib.suppress(ProcessLookupError):  # leftovers of the group, if any
        os.killpg(process.pid, signal.SIGKILL)
    own = usage.ru_utime + usage.ru_stime
    others = max(0.0, _cpu_busy_seconds() - busy_before - own - sampler_cpu)
    return Run(wall, int(usage.ru_maxrss), peak_tree, process.returncode, killed.is_set(), others_cpu=others,
               user=usage.ru_utime, system=usage.ru_stime)


def attempt(prepare: Callable[[], None], argv: Sequence[str], cwd: Path, log_file: Path, timeout: float,
            env: dict[str, str] | None = None) -> Run:
    """``prepare()`` then ``measure``, after waiting for a quiet machine; when other processes took more than
    DISTURBED of a core during the run, try again (up to ATTEMPTS in all) and keep the least disturbed run."""
    runs: list[Run] = []
    for _ in range(ATTEMPTS):
        wait_idle()
        prepare()
        run = measure(argv, cwd, log_file, timeout, env)
        runs.append(run)
        if run.timed_out or run.returncode != 0 or run.others_cpu <= DISTURBED * run.wall:
            break
        log(f"   (disturbed: other processes used {run.others_cpu:.2f} CPU-s in {run.wall:.2f} s; again)")
    best = min(runs, key=lambda r: r.others_cpu / max(r.wall, 1e-9)) if runs[-1].returncode == 0 else runs[-1]
    best.attempts = len(runs)
    return best


def count_pages(out: Path) -> int:
    """Number of .html files under ``out``."""
    count = 0
    todo = [out]
    while todo:
        with contextlib.suppress(FileNotFoundError), os.scandir(todo.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(Path(entry.path))
                elif entry.name.endswith(".html"):
                    count += 1
    return count


def tail(path: Path, lines: int = 8) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    return ""


# --------------------------------------------------------------------------- corpora and peers


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()[:16]


def _tree_bytes(path: Path) -> bytes:
    if not path.exists():
        return b""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return b"".join(p.relative_to(path.parent).as_posix().encode() + p.read_bytes() for p in files)


def site_dir(size: int) -> Path:
    return ROOT / f"site-{size}"


def ensure_corpus(size: int, seed: int = 0) -> str:
    """Generate the dangjian corpus of ``size`` stories unless an identical one is there; return its stamp."""
    from bench.make_site import make_site

    site = site_dir(size)
    stamp = _digest(str(size).encode(), str(seed).encode(), (REPO / "bench" / "make_site.py").read_bytes())
    stamp_file = ROOT / f"site-{size}.stamp"
    if site.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return stamp
    log(f"generating {size:,} stories in {site}")
    stamp_file.unlink(missing_ok=True)
    make_site(size, site, seed, force=True)
    stamp_file.write_text(stamp)
    return stamp


def before_site_dir(size: int) -> Path:
    return ROOT / f"site-{size}-before"


def ensure_site_copy(size: int, corpus_stamp: str) -> Path:
    """A copy of the corpus of ``size`` for ``dangjian@<sha>``: its cache (SITE/.dangjian-cache/) and its
    one-edit edits stay apart from the current dangjian's. Made again when the corpus changes."""
    dest = before_site_dir(size)
    stamp_file = ROOT / f"site-{size}-before.stamp"
    if dest.is_dir() and stamp_file.is_file() and stamp_file.read_text() == corpus_stamp:
        return dest
    log(f"copying the {size:,}-story corpus to {dest}")
    stamp_file.unlink(missing_ok=True)
    _retire(dest)
    shutil.copytree(site_dir(size), dest, symlinks=True, ignore=shutil.ignore_patterns(".dangjian-cache"))
    stamp_file.write_text(corpus_stamp)
    return dest


def ensure_peer_project(tool: str, size: int, corpus_stamp: str, cache: dict[int, object]) -> Path:
    """Adapt the corpus of ``size`` into ``tool``'s format unless an up-to-date copy is there."""
    from bench.peers import adapters

    dest = ROOT / f"{tool}-{size}"
    stamp = _digest(corpus_stamp.encode(), _tree_bytes(REPO / "bench" / "peers" / "adapters.py"),
                    _tree_bytes(REPO / "bench" / "peers" / tool), _tree_bytes(REPO / "bench" / "floor.py"))
    stamp_file = ROOT / f"{tool}-{size}.stamp"
    if dest.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return dest
    log(f"adapting the {size:,}-story corpus for {tool} in {dest}")
    stamp_file.unlink(missing_ok=True)
    if size not in cache:
        cache.clear()
        cache[size] = adapters.load_corpus(site_dir(size))
    corpus = cache[size]
    assert isinstance(corpus, adapters.Corpus)
    adapters.ADAPTERS[tool](corpus, dest)
    stamp_file.write_text(stamp)
    return dest


def ensure_hugo() -> str | None:
    """Path of hugo; installs the Debian package when missing and running as root. None if unavailable."""
    found = shutil.which("hugo")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    log("installing hugo with apt-get")
    for command in (["apt-get", "install", "-y", "hugo"], ["apt-get", "update"], ["apt-get", "install", "-y", "hugo"]):
        result = subprocess.run(command, capture_output=True, check=False)
        if command[1] == "install" and result.returncode == 0:
            break
    return shutil.which("hugo")


def ensure_peers_venv() -> bool:
    """Create /tmp/dangjian-bench/peers-venv with Pelican and MkDocs (from PyPI) if it is not there."""
    bin_dir = PEERS_VENV / "bin"
    if (bin_dir / "pelican").exists() and (bin_dir / "mkdocs").exists():
        return True
    log(f"creating {PEERS_VENV} with {', '.join(PEER_PACKAGES)}")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEERS_VENV)], check=True)
    result = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], check=False)
    return result.returncode == 0


def _version(argv: Sequence[str], env: dict[str, str] | None = None) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60, env=env)
    except OSError:
        return "not installed"
    text = (result.stdout or result.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


# --------------------------------------------------------------------------- the tools


def dangjian_command(module: bool = False) -> list[str]:
    """The console script beside the interpreter, else (or with ``module``) ``python -m generator``."""
    beside = Path(sys.executable).parent / "dangjian"
    return [str(beside)] if beside.exists() and not module else [sys.executable, "-m", "generator"]


def import_env(folder: Path) -> dict[str, str]:
    """The environment of a child that must import ``generator`` from ``folder``.

    ``folder`` goes first on PYTHONPATH, which comes before site-packages, where the venv's editable
    install (a .pth file) puts the main checkout: without it a run from another worktree, or of
    another commit, would time the main checkout's code.
    """
    inherited = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), inherited]))}


@dataclass
class Tool:
    """How to build one tool's project of one size from scratch."""

    name: str
    command: Callable[[Path, Path], list[str]]
    """(project, out) → argv"""
    project: Callable[[int], Path]
    cwd: Callable[[Path], Path] = lambda project: project
    caches: Callable[[Path], list[Path]] = lambda project: []
    env: dict[str, str] | None = None
    rebuilds: bool = False
    """Timed in every mode of MODES["dangjian"] (cold, [cold-cache,] no-change, one-edit), not only cold."""
    commit: Callable[[], str] = lambda: ""
    """The commit built, recorded with each run."""


def has_no_cache(launcher: Sequence[str], env: dict[str, str]) -> bool:
    """Whether this dangjian's ``build --help`` offers ``--no-cache``."""
    return "--no-cache" in subprocess.run([*launcher, "build", "--help"], capture_output=True, text=True,
                                          check=False, env=env).stdout


def dangjian_tool(name: str, code: Path, project: Callable[[int], Path], no_cache: bool, module: bool,
                  commit: Callable[[], str]) -> Tool:
    """dangjian with its ``generator`` package imported from the folder ``code``."""
    launcher = dangjian_command(module)
    return Tool(name, lambda p, o: [*launcher, "build", "--site", str(p), "--out", str(o),
                                    *(["--no-cache"] if no_cache else [])],
                project, caches=lambda p: [p / ".dangjian-cache"], env=import_env(code), rebuilds=True, commit=commit)


@dataclass
class Before:
    """dangjian as of another commit of this repository (``--before REV``), timed as a tool of its own."""

    rev: str
    sha: str
    short: str
    described: str
    """The commit's date and subject."""

    @property
    def name(self) -> str:
        return f"{BEFORE_PREFIX}{self.short}"

    @property
    def folder(self) -> Path:
        """Where the commit's files are extracted (``ensure_before``)."""
        return ROOT / f"before-{self.sha}"


def resolve_before(rev: str) -> Before:
    """The commit ``rev`` names in this repository; ValueError when it names none."""
    found = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                           capture_output=True, text=True, check=False)
    sha = found.stdout.strip()
    if found.returncode != 0 or not sha:
        raise ValueError(f"--before {rev}: not a commit of {REPO}")
    short = _version(["git", "-C", str(REPO), "rev-parse", "--short", sha])
    described = _version(["git", "-C", str(REPO), "log", "-1", "--format=%cs, “%s”", sha])
    return Before(rev, sha, short, described)


def ensure_before(before: Before) -> Path:
    """Extract the commit's files into ROOT/before-<sha>/ unless they are there, and compile its package.

    ``git archive`` of the commit, unpacked by ``tar``: the working tree is not touched and nothing is
    registered in the repository (no ``git worktree``). The folder is reused while the sha is the same;
    those of other commits are set aside (``_retire``), so deleted when the run ends.
    """
    folder = before.folder
    for other in sorted(ROOT.glob("before-*")):
        if other != folder:
            log(f"setting aside {other}, of another commit")
            _retire(other)
    if not folder.is_dir():
        log(f"extracting {before.short} ({before.rev}) into {folder}")
        partial = ROOT / f"partial-before-{before.sha}"
        _remove(partial)
        partial.mkdir(parents=True)
        with subprocess.Popen(["git", "-C", str(REPO), "archive", "--format=tar", before.sha],
                              stdout=subprocess.PIPE) as archive:
            untar = subprocess.run(["tar", "-x", "-C", str(partial)], stdin=archive.stdout, check=False)
        if archive.returncode != 0 or untar.returncode != 0:
            raise RuntimeError(f"git archive {before.sha} | tar -x failed (exit {archive.returncode}, "
                               f"{untar.returncode})")
        partial.rename(folder)
    if not (folder / "generator" / "__main__.py").is_file():
        raise RuntimeError(f"{before.short} has no generator/__main__.py: it cannot run as python -m generator")
    compiled = subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "generator")],
                              capture_output=True, text=True, check=False)
    if compiled.returncode != 0:
        log(f"compileall of {folder} failed, its runs may compile modules: {compiled.stdout}{compiled.stderr}")
    return folder


def before_tool(before: Before) -> Tool:
    """``dangjian@<sha>``: run as ``python -m generator`` with PYTHONPATH=ROOT/before-<sha>, on its own copy of
    each corpus (``before_site_dir``), writing to its own output folder."""
    env = import_env(before.folder)
    no_cache = has_no_cache(dangjian_command(module=True), env)
    return dangjian_tool(before.name, before.folder, before_site_dir, no_cache, True, lambda: before.short)


def _tools(no_cache: bool, module: bool = False) -> dict[str, Tool]:
    peers_bin = PEERS_VENV / "bin"
    return {
        "dangjian": dangjian_tool("dangjian", REPO, site_dir, no_cache, module, git_commit),
        "floor": Tool("floor", lambda p, o: [sys.executable, "-m", "bench.floor", str(p), str(o), "--jobs", "2"],
                      site_dir, cwd=lambda p: REPO),
        "hugo": Tool("hugo", lambda p, o: [shutil.which("hugo") or "hugo", "--quiet", "--destination", str(o)],
                     lambda n: ROOT / f"hugo-{n}", caches=lambda p: [p / "resources", p / ".hugo_build.lock"]),
        "pelican": Tool("pelican", lambda p, o: [str(peers_bin / "pelican"), "content", "--settings", "pelicanconf.py",
                                                 "--output", str(o), "--quiet"],
                        lambda n: ROOT / f"pelican-{n}", caches=lambda p: [p / "cache", p / "__pycache__"]),
        "mkdocs": Tool("mkdocs", lambda p, o: [str(peers_bin / "mkdocs"), "build", "--quiet", "--site-dir", str(o)],
                       lambda n: ROOT / f"mkdocs-{n}"),
    }


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _retire(path: Path) -> None:
    """Move an old output or cache out of the tool's way, to be deleted when the run ends (see bench/README.md).

    Deleted just before a build, its files would slow that build down on ext4 without a journal:
    each new file passes over the inodes freed in the last minutes, one buffer look-up each.
    """
    if not (path.exists() or path.is_symlink()):
        return
    if shutil.disk_usage(ROOT).free < RETIRE_MIN_FREE:
        log(f"   (little free disk: {path.name} deleted, not set aside; the next build may be slower)")
        _remove(path)
        return
    RETIRED.mkdir(parents=True, exist_ok=True)
    path.rename(RETIRED / f"{time.time_ns()}-{path.name}")


def clear_retired(settle: bool) -> None:
    """Delete what ``_retire`` set aside; with ``settle``, write it back and wait until its inodes may be reused."""
    if not RETIRED.exists():
        return
    _remove(RETIRED)
    if settle:
        os.sync()
        log(f"waiting {RECENTLY_FREED_S} s after deleting old outputs, until the file system reuses their inodes")
        time.sleep(RECENTLY_FREED_S)


def out_dir(tool: str, size: int) -> Path:
    return ROOT / "out" / f"{tool}-{size}"


def timed_build(tool: Tool, size: int, label: str, prepare: Callable[[], None], argv: Sequence[str],
                timeout: float) -> Run:
    """``prepare()``, then build and time it; count the pages, and keep the log's tail when it failed."""
    project, out = tool.project(size), out_dir(tool.name, size)
    logfile = ROOT / "logs" / f"{tool.name}-{size}-{label}.log"
    run = attempt(prepare, argv, tool.cwd(project), logfile, timeout, tool.env)
    run.pages = count_pages(out)
    if run.returncode != 0 and not run.timed_out:
        run.note = tail(logfile)
    return run


def _forget(tool: Tool, size: int) -> Callable[[], None]:
    """Return a function that moves the tool's output and caches out of its way (``_retire``)."""
    project, out = tool.project(size), out_dir(tool.name, size)

    def forget() -> None:
        for path in (out, *tool.caches(project)):
            _retire(path)

    return forget


def cold(tool: Tool, size: int, timeout: float, label: str = "cold") -> Run:
    """Move the tool's output and caches away, then build and time it."""
    argv = tool.command(tool.project(size), out_dir(tool.name, size))
    return timed_build(tool, size, label, _forget(tool, size), argv, timeout)


def _edit_target(site: Path) -> Path:
    for path in sorted((site / "content" / "posts").glob("*.md")):
        return path
    raise SystemExit(f"no story in {site / 'content' / 'posts'}")


def dangjian_rounds(tool: Tool, size: int, timeout: float, rep: int) -> Iterator[tuple[str, Run]]:
    """cold, [cold-cache,] no-change, one-edit: builds of the same site, one after another."""
    run = cold(tool, size, timeout)
    yield "cold", run
    if run.returncode != 0:
        return
    project, out = tool.project(size), out_dir(tool.name, size)
    full = tool.command(project, out)
    argv = [a for a in full if a != "--no-cache"]
    if argv != full:  # the cold build neither read nor wrote the cache: time a first build that writes it
        run = timed_build(tool, size, "cold-cache", _forget(tool, size), argv, timeout)
        yield "cold-cache", run
        if run.returncode != 0:
            return
    run = timed_build(tool, size, "no-change", lambda: None, argv, timeout)
    yield "no-change", run
    if run.returncode != 0:
        return
    story = _edit_target(project)
    original = story.read_bytes()
    markers: list[str] = []

    def edit() -> None:
        markers.append(f"基准测试追加的一句话，第{rep + 1}次，{time.time_ns()}。")
        story.write_bytes(original.rstrip(b"\n") + f"\n\n{markers[-1]}\n".encode())

    try:
        run = timed_build(tool, size, "one-edit", edit, argv, timeout)
        page = out / "posts" / story.stem / "index.html"
        with contextlib.suppress(OSError):
            if run.returncode == 0 and markers[-1] not in page.read_text(encoding="utf-8"):
                run.note = f"edit NOT visible in {page.relative_to(ROOT)}"
    finally:
        story.write_bytes(original)
    yield "one-edit", run


# --------------------------------------------------------------------------- the session


@dataclass
class Row:
    """All repetitions of one (size, tool, mode)."""

    size: int
    tool: str
    mode: str
    runs: list[Run] = field(default_factory=list)
    status: str = "ok"
    """ok | dnf (killed after the timeout) | failed (non-zero exit) | skipped"""
    note: str = ""

    def walls(self) -> list[float]:
        return [r.wall for r in self.runs if r.returncode == 0 and not r.timed_out]

    def median(self) -> float | None:
        walls = self.walls()
        return statistics.median(walls) if walls else None


@dataclass
class SizeBlock:
    size: int
    started: str
    commit: str
    rows: list[Row] = field(default_factory=list)
    seconds: float = 0.0
    load: str = ""
    """1-minute load average before and after the size's runs (other work on the machine skews timings)."""

    def row(self, tool: str, mode: str) -> Row:
        for row in self.rows:
            if row.tool == tool and row.mode == mode:
                return row
        row = Row(self.size, tool, mode)
        self.rows.append(row)
        return row

    def floor(self) -> float | None:
        return self.row("floor", "cold").median() if any(r.tool == "floor" for r in self.rows) else None


def prepare_size(size: int, peers: Sequence[str], copy: bool = False) -> str:
    """Generate the corpus of ``size`` stories and adapt it for each peer, in a child process; return its stamp.

    With ``copy``, also the copy of the corpus that ``dangjian@<sha>`` builds (``ensure_site_copy``).

    Loading 50,000 stories left the process that did it about 200 MB larger for good, and every
    build it started afterwards reported that as its own peak: a child's ``ru_maxrss`` counts the
    memory it had as a copy of its parent before it ran the build (the floor "used" 201 MB).
    """
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as pool:
        return pool.submit(_prepare_size, size, tuple(peers), copy).result()


def _prepare_size(size: int, peers: Sequence[str], copy: bool = False) -> str:
    stamp = ensure_corpus(size)
    if copy:
        ensure_site_copy(size, stamp)
    cache: dict[int, object] = {}
    for name in peers:
        ensure_peer_project(name, size, stamp, cache)
    return stamp


def check_peers(tools: dict[str, Tool], wanted: Sequence[str], timeout: float) -> dict[str, str]:
    """Build each peer once on the 1,000-story corpus; return {peer: reason} for those that failed."""
    problems: dict[str, str] = {}
    peers = [name for name in wanted if name in PEERS]
    prepare_size(CHECK_SIZE, peers)
    for name in peers:
        run = cold(tools[name], CHECK_SIZE, timeout, label="check")
        log(f"check {name} on {CHECK_SIZE:,} stories: exit {run.returncode}, {run.pages} pages, {run.wall:.2f} s")
        if run.returncode != 0 or run.pages < CHECK_SIZE:
            problems[name] = f"check build failed (exit {run.returncode}, {run.pages} pages): {run.note}"
    return problems


def git_commit() -> str:
    head = _version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "generator", "themes"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return head + (" + uncommitted changes in generator/ or themes/" if dirty else "")


def run_size(size: int, names: Sequence[str], tools: dict[str, Tool], repeat: int, timeout: float,
             unavailable: dict[str, str], save: Callable[[SizeBlock], None]) -> SizeBlock:
    block = SizeBlock(size, dt.datetime.now().astimezone().isoformat(timespec="seconds"), git_commit())
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    active = []
    for name in names:
        if name in unavailable:
            for mode in MODES.get(name, ("cold",)):  # only peers are ever unavailable
                row = block.row(name, mode)
                row.status, row.note = "skipped", unavailable[name]
            continue
        active.append(name)
    prepare_size(size, [name for name in active if name in PEERS],
                 copy=any(name.startswith(BEFORE_PREFIX) for name in active))
    for rep in range(repeat):
        for name in list(active):
            tool = tools[name]
            commit = tool.commit()
            rounds = dangjian_rounds(tool, size, timeout, rep) if tool.rebuilds else iter([("cold", cold(
                tool, size, timeout))])
            for mode, run in rounds:
                row = block.row(name, mode)
                run.commit = commit
                row.runs.append(run)
                peak = max(run.maxrss_kb, run.tree_kb) / 1024
                log(f"{size:>6,} {name:<8} {mode:<10} rep {rep + 1}/{repeat}: {run.wall:8.2f} s  "
                    f"{peak:6.0f} MB  exit {run.returncode}  {run.pages} pages  others {run.others_cpu:.2f} CPU-s"
                    f"  {run.note[:60]}")
                if run.timed_out:
                    row.status, row.note = "dnf", f"did not finish in {timeout / 60:g} min"
                elif run.returncode != 0:
                    row.status, row.note = "failed", f"exit {run.returncode}: {run.note}"
                elif run.note:
                    row.note = run.note
            if any(r.status in ("dnf", "failed") for r in block.rows if r.tool == name):
                log(f"{name} stops at {size:,} stories")
                active.remove(name)
        commits = list(dict.fromkeys(r.commit for row in block.rows if row.tool == "dangjian"
                                     for r in row.runs if r.commit))
        if len(commits) > 1:
            block.commit = " → ".join(commits) + " (dangjian changed between repetitions)"
        elif commits:
            block.commit = commits[0]
        block.seconds = time.perf_counter() - started
        block.load = f"{load_before:.2f} → {os.getloadavg()[0]:.2f}"
        save(block)
    return block


# --------------------------------------------------------------------------- report


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _machine(tools: Sequence[str]) -> list[str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError, ValueError):
        mem_kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
    lines = [
        f"- CPU: {os.cpu_count()} cores ({cpu}); RAM {mem_kb / 1024 / 1024:.1f} GiB; "
        f"Linux {platform.release()}",
        f"- Python {platform.python_version()} (dangjian, floor); "
        f"{_version([*dangjian_command(), '--version'], import_env(REPO))} (its commit per size is listed below "
        "the table)",
    ]
    if "hugo" in tools:
        lines.append(f"- Hugo: {_version([shutil.which('hugo') or 'hugo', 'version'])} (Debian package)")
    peers_python = str(PEERS_VENV / "bin" / "python")
    if "pelican" in tools or "mkdocs" in tools:
        versions = _version([peers_python, "-c", "import importlib.metadata as m; print(', '.join("
                             "f'{p} {m.version(p)}' for p in ('pelican', 'mkdocs', 'markdown', 'jinja2')))"])
        lines.append(f"- Pelican and MkDocs (PyPI, in {PEERS_VENV}): {versions}; "
                     f"Python {_version([peers_python, '-c', 'import platform; print(platform.python_version())'])}")
    return lines


def _cpu(runs: Sequence[Run], kind: str) -> str:
    """Median CPU seconds of one kind over runs that recorded it; "–" for runs from before it was recorded."""
    seconds = [getattr(r, kind) for r in runs if r.user or r.system]
    return _fmt(statistics.median(seconds)) if seconds else "–"


def _before_section(blocks: Sequence[SizeBlock]) -> list[str]:
    """dangjian's medians beside those of each ``dangjian@<sha>`` (``--before``) of the same size and run."""
    lines = []
    percent = f"{WITHIN * 100:g} %"
    for block in blocks:
        # Only rows measured in this block's run: --merge can keep rows of an earlier run.
        measured = [r for r in block.rows if "kept from the run of" not in r.note]
        current = {r.mode: r for r in measured if r.tool == "dangjian"}
        for row in measured:
            if not row.tool.startswith(BEFORE_PREFIX) or row.mode not in current:
                continue
            now, then = current[row.mode].median(), row.median()
            change, within = "–", "–"
            if now is not None and then:
                change = f"{(now / then - 1) * 100:+.1f} %"
                within = "yes" if now <= then * (1 + WITHIN) else "**no**"
            lines.append(f"| {block.size:,} | {row.mode} | {_fmt(now)} | {row.tool} | {_fmt(then)} | {change} "
                         f"| {within} |")
    if not lines:
        return []
    return ["", "## dangjian beside an earlier commit of itself (`--before`)", "",
            "Medians from the same rounds. `change` = dangjian's median ÷ the earlier commit's − 1; issue #16 asks "
            f"a refactoring to keep cold, no-change and one-edit within {percent} (here: at most "
            f"+{percent}). With few repetitions, differences of this size can be noise: see min and max above.",
            "", f"| stories | mode | dangjian s | earlier | its s | change | ≤ +{percent}? |",
            "| ---: | --- | ---: | --- | ---: | ---: | --- |", *lines]


def markdown_report(blocks: Sequence[SizeBlock], repeat_note: str, chart_name: str, total_seconds: float,
                    tools: Sequence[str], when: str = "", compared: Sequence[str] = ()) -> str:
    """The report; ``compared`` says which commits ``dangjian`` and ``dangjian@<sha>`` are (``--before``)."""
    when = when or f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    out = [
        "# Build benchmark: dangjian beside the minimal pipeline, Hugo, Pelican and MkDocs",
        "",
        f"Measured by `python -m bench.run`, finished {when} "
        f"({repeat_note}; whole run {total_seconds / 60:.1f} min). See `bench/README.md` for what is measured.",
        "",
        *_machine(tools),
        *compared,
        "",
        f"![Cold build, seconds]({chart_name})",
        "",
        "Median wall time of the repetitions; `ratio` = median ÷ the floor's cold median at the same size, "
        "timed in the same run. `peak MB` = the largest single process (wait4 `ru_maxrss`; for the floor "
        "that is its parent or one worker, whichever is larger); `tree MB` = the largest sampled "
        "(every 50 ms; for big processes less often, to keep the sampler under 2 % of a core) "
        "sum of PSS over the process and its children (pages shared by "
        "forked workers divided among them; a short peak between samples can be missed). `user s` and `sys s` = "
        "median CPU seconds of the process and its children in user mode and in the kernel (wait4). Old "
        "outputs are moved aside before a cold build and deleted when the run ends: on ext4 without a "
        "journal, files made within minutes of others' deletion cost several times the kernel time "
        "(bench/README.md). `pages` = .html files "
        "written. Other work on the machine "
        f"(concurrent test runs) skews timings, so each run waits (≤ {IDLE_MAX_WAIT / 60:g} min) until other "
        f"processes use < {IDLE_CORES} core, and a run during which they used > {DISTURBED} core on average is "
        f"repeated (≤ {ATTEMPTS} attempts, the least disturbed kept); the note column counts these.",
        "",
        "| stories | tool | mode | median s | min s | max s | user s | sys s | peak MB | tree MB | ratio to floor "
        "| pages | note |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for block in blocks:
        floor = block.floor()
        for row in block.rows:
            walls = row.walls()
            median = row.median()
            ok_runs = [r for r in row.runs if r.returncode == 0 and not r.timed_out]
            peak = max((r.maxrss_kb for r in ok_runs), default=None)
            tree = max((r.tree_kb for r in ok_runs), default=None)
            ratio = f"{median / floor:.2f}×" if median is not None and floor else "–"
            note = row.note.replace("\n", " ").replace("|", "\\|")[:160]
            if row.status != "ok" and not note:
                note = row.status
            retried = sum(r.attempts - 1 for r in row.runs)
            disturbed = sum(r.others_cpu > DISTURBED * r.wall for r in ok_runs)
            if retried or disturbed:
                extra = f"{retried} re-run(s) for load" + (f", {disturbed} kept disturbed" if disturbed else "")
                note = f"{note}; {extra}" if note else extra
            out.append(
                f"| {row.size:,} | {row.tool} | {row.mode} | {_fmt(median)} | {_fmt(min(walls) if walls else None)} | "
                f"{_fmt(max(walls) if walls else None)} | {_cpu(ok_runs, 'user')} | {_cpu(ok_runs, 'system')} | "
                f"{_fmt(peak / 1024 if peak else None, 0)} | "
                f"{_fmt(tree / 1024 if tree else None, 0)} | {ratio} | {max((r.pages for r in row.runs), default=0)} "
                f"| {note} |")
    out += ["", "Per size: when it started, the dangjian commit, time taken, 1-minute load average before → after.", ""]
    out += [f"- {b.size:,} stories: {b.started}, commit {b.commit}, {b.seconds / 60:.1f} min, load {b.load}"
            for b in blocks]
    out += _before_section(blocks)
    out += ["", "## Targets for dangjian (issue #4)", ""]
    out += ["| stories | target | measured | met? |", "| ---: | --- | --- | --- |"]
    verdicts: dict[str, list[bool]] = {}
    target_blocks: dict[str, list[SizeBlock]] = {}
    for block in blocks:
        floor = block.floor()
        for mode, limit in TARGETS.items():
            found = next((r for r in block.rows if r.tool == "dangjian" and r.mode == mode), None)
            if found is None:
                continue
            median = found.median()
            met: bool | None
            if median is None or not floor:
                measured, met = (found.note or found.status) if median is None else "no floor timing", None
            else:
                measured, met = f"{median:.2f} s = {median / floor:.2f}× floor ({floor:.2f} s)", median / floor <= limit
            verdicts.setdefault(mode, []).append(bool(met))
            target_blocks.setdefault(mode, []).append(block)
            out.append(f"| {block.size:,} | {mode} ≤ {limit}× floor | {measured} | "
                       f"{'–' if met is None else 'yes' if met else '**no**'} |")
        if block.size == MEMORY_TARGET_SIZE:
            runs = [r for dj in block.rows if dj.tool == "dangjian"
                    for r in dj.runs if r.returncode == 0 and not r.timed_out]
            if runs:
                peak_mb = max(max(r.maxrss_kb, r.tree_kb) for r in runs) / 1024
                verdicts["memory"] = [peak_mb <= MEMORY_TARGET_MB]
                target_blocks["memory"] = [block]
                out.append(f"| {block.size:,} | peak memory ≤ {MEMORY_TARGET_MB} MB | {peak_mb:.0f} MB (any mode, "
                           f"larger of peak and tree) | {'yes' if peak_mb <= MEMORY_TARGET_MB else '**no**'} |")
    out += ["", "Summary:", ""]
    names = {"cold": "cold build ≤ 1.5× floor",
             "cold-cache": "(not a target of its own) first build, writing the cache, ≤ 1.5× floor",
             "no-change": "no-change rebuild ≤ 0.15× floor",
             "one-edit": "one-edit rebuild ≤ 0.2× floor", "memory": f"peak memory ≤ {MEMORY_TARGET_MB} MB at 50,000"}
    for key, label in names.items():
        if key in verdicts:
            met_at = [b.size for b, ok in zip(target_blocks[key], verdicts[key], strict=True) if ok]
            missed = [b.size for b, ok in zip(target_blocks[key], verdicts[key], strict=True) if not ok]
            if not missed:
                out.append(f"- {label}: met at {', '.join(f'{n:,}' for n in met_at)} stories")
            else:
                out.append(f"- {label}: **NOT met** at {', '.join(f'{n:,}' for n in missed)} stories"
                           + (f" (met at {', '.join(f'{n:,}' for n in met_at)})" if met_at else ""))
        else:
            out.append(f"- {label}: not measured in this run")
    out += ["", "## Reference: anchors quoted in issue #4", "",
            "Median cold build on a comparable 2-core machine, same kind of corpus: 1,000 / 5,000 stories.", "",
            "| tool | 1,000 s | 5,000 s |", "| --- | ---: | ---: |"]
    out += [f"| {tool} | {a:g} | {b:g} |" for tool, (a, b) in ANCHORS.items()]
    out += ["", "Eleventy is not measured here.", ""]
    out += ["## How the peers' pages compare", "", *EQUIVALENCE, ""]
    return "\n".join(out)


EQUIVALENCE = (
    "All tools build the same corpus (`bench/make_site.py`, seed 0), adapted by `bench/peers/adapters.py`: one page "
    "per story (title, date, unit and activity links, the case/post fields, body with tables and links to other "
    "stories resolved), a list per kind, an overview and a page per unit and per activity, all paginated 20 a page, "
    "an archive and a home page (latest 6 per kind, units, activities). The floor writes story pages only.",
    "",
    "- dangjian also writes `404.html`, an Atom feed, a sitemap and its CSS; its archive is a page per year plus "
    "an index.",
    "- Hugo (Debian bookworm's 0.111.3, from March 2023): term values are the ids, titled by `_index.md` files; "
    "story links resolved by a render hook (`GetPage`); one RSS feed (home, 50 items) and a sitemap; "
    "one archive page instead of one per year. Its page count is higher because Hugo writes a redirect "
    "`page/1/index.html` for every paginated list.",
    "- Pelican: category = kind, author = unit, tags = activities (URLs use Pelican's transliterated slugs, "
    "e.g. `units/xian-cai-zheng-ju/`), links as `{filename}`, a minimal theme, yearly archives, one Atom feed; "
    "no sitemap (that needs a plugin) and no 404 page.",
    "- MkDocs has no taxonomies: the adapter writes the list, unit, activity and archive pages as Markdown "
    "(untimed), so MkDocs only renders them; default `mkdocs` theme, search plugin off, the nav holds only the "
    "index pages (a nav of every story would be copied into every page). It writes a sitemap and a 404 page.",
)

COLOURS = {"dangjian": "#c0392b", "floor": "#7f8c8d", "hugo": "#2874a6", "pelican": "#239b56", "mkdocs": "#b9770e"}
BEFORE_COLOUR = "#8e44ad"


def _tool_order(tool: str) -> float:
    """ALL_TOOLS' order, with ``dangjian@<sha>`` right after dangjian."""
    if tool.startswith(BEFORE_PREFIX):
        return ALL_TOOLS.index("dangjian") + 0.5
    return ALL_TOOLS.index(tool) if tool in ALL_TOOLS else 9


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg_chart(blocks: Sequence[SizeBlock]) -> str:
    """One panel per size: a horizontal bar per tool (cold; dangjian's rebuilds too), seconds printed."""
    longest = max((len(f"{r.tool} {r.mode}") for b in blocks for r in b.rows), default=0)
    bar_w, row_h, top = 520, 24, 56
    label_w = max(190, 16 + 8 * longest)  # 13 px sans-serif: under 8 px a character
    width = label_w + bar_w + 150
    panels = []
    y = top
    for block in blocks:
        rows = [r for r in block.rows if r.mode == "cold"] + [r for r in block.rows if r.mode != "cold"]
        rows.sort(key=lambda r: (_tool_order(r.tool), r.mode != "cold", r.mode))
        values = [r.median() for r in rows]
        scale = max([v for v in values if v is not None] or [1.0])
        floor = block.floor()
        parts = [f'<text x="10" y="{y + 16}" font-size="15" font-weight="bold">{block.size:,} stories '
                 f'(median of repetitions, seconds; bars to scale within the panel)</text>']
        y += 26
        panel_top = y
        for row, value in zip(rows, values, strict=True):
            label = row.tool if row.mode == "cold" else f"{row.tool} {row.mode}"
            colour = BEFORE_COLOUR if row.tool.startswith(BEFORE_PREFIX) else COLOURS.get(row.tool, "#555")
            opacity = "1" if row.mode == "cold" else "0.55"
            parts.append(f'<text x="{label_w - 8}" y="{y + 16}" font-size="13" text-anchor="end">{_esc(label)}</text>')
            if value is None:
                text = row.note.split(":")[0] if row.note else row.status
                parts.append(f'<text x="{label_w + 4}" y="{y + 16}" font-size="12" fill="#888">{_esc(text)}</text>')
            else:
                length = max(1.0, bar_w * value / scale)
                ratio = f" ({value / floor:.2f}× floor)" if floor and row.tool != "floor" else ""
                parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 6}" '
                             f'fill="{colour}" fill-opacity="{opacity}"/>')
                parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + 16}" font-size="12">'
                             f'{value:.2f} s{_esc(ratio)}</text>')
            y += row_h
        if floor:
            x = label_w + bar_w * 1.5 * floor / scale
            parts.append(f'<line x1="{x:.1f}" y1="{panel_top}" x2="{x:.1f}" y2="{y}" stroke="#c0392b" '
                         f'stroke-dasharray="4 3"/>')
            parts.append(f'<text x="{x:.1f}" y="{y + 12}" font-size="11" fill="#c0392b" text-anchor="middle">'
                         f'1.5× floor (cold-build target)</text>')
        panels.append("\n".join(parts))
        y += 34
    height = y + 10
    title = "Build time: cold build per tool; dangjian also first build with cache, no-change and one-edit rebuilds"
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="28" font-size="17" font-weight="bold">{_esc(title)}</text>',
        *panels,
        "</svg>",
        "",
    ])


# --------------------------------------------------------------------------- main


def _block_from_json(data: dict[str, Any]) -> SizeBlock:
    rows = [Row(**{**raw, "runs": [Run(**r) for r in raw["runs"]]}) for raw in data["rows"]]
    return SizeBlock(**{**data, "rows": rows})


def _kept_section(report: Path) -> str:
    """The section that bench/search_size.py keeps in the same file, carried over unchanged."""
    text = report.read_text(encoding="utf-8") if report.is_file() else ""
    if MARK_START not in text or MARK_END not in text:
        return ""
    section = text.split(MARK_START, 1)[1].split(MARK_END, 1)[0]
    return f"\n{MARK_START}{section}{MARK_END}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,50000", help="comma-separated story counts")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per tool and size (default 3)")
    parser.add_argument("--tools", default=",".join(ALL_TOOLS), help=f"comma-separated, of {','.join(ALL_TOOLS)}")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md", help="Markdown report")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a build is killed (600)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the sizes and tools of the last run (results.json) that this run does not measure")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rewrite the report and chart from /tmp/dangjian-bench/results.json")
    parser.add_argument("--before", metavar="REV",
                        help="also time dangjian as of git revision REV, as the tool dangjian@<short sha>, in the same "
                             "rounds and modes as the current dangjian (its code extracted into "
                             "/tmp/dangjian-bench/before-<sha>/)")
    args = parser.parse_args(argv)
    results_file = ROOT / "results.json"
    chart_path = args.out.with_name("results.svg")
    if args.report_only:
        saved = json.loads(results_file.read_text())
        stored = [_block_from_json(b) for b in saved["blocks"]]
        report = markdown_report(stored, saved["note"], chart_path.name, saved["seconds"], saved["tools"],
                                 saved.get("finished", ""), saved.get("compared", ()))
        args.out.write_text(report + _kept_section(args.out), encoding="utf-8")
        chart_path.write_text(svg_chart(stored), encoding="utf-8")
        log(f"wrote {args.out} and {chart_path} from {results_file}")
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    names = [n.strip() for n in args.tools.split(",") if n.strip()]
    if unknown := [n for n in names if n not in ALL_TOOLS]:
        parser.error(f"unknown tools: {', '.join(unknown)}")
    before: Before | None = None
    if args.before:
        try:
            before = resolve_before(args.before)
        except ValueError as error:
            parser.error(str(error))
        names.insert(names.index("dangjian") + 1 if "dangjian" in names else 0, before.name)
    # On SIGTERM unwind like Ctrl-C: kill the build being timed, restore an edited story.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    ROOT.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()

    unavailable: dict[str, str] = {}
    if "hugo" in names and not ensure_hugo():
        unavailable["hugo"] = "hugo not installed (apt-get install -y hugo)"
    if {"pelican", "mkdocs"} & set(names) and not ensure_peers_venv():
        unavailable.update(pelican="pip install failed", mkdocs="pip install failed")
    # Every run then starts from compiled bytecode, as an installed tool does (pip compiles it at
    # install time); where PYTHONDONTWRITEBYTECODE is set, each run would otherwise compile our
    # changed modules again (about 65 ms a run).
    compiled = subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "generator"), str(REPO / "bench")],
                              capture_output=True, text=True, check=False)
    if compiled.returncode != 0:
        log(f"compileall failed, runs may compile modules: {compiled.stdout}{compiled.stderr}")
    # With --before both dangjians start the same way, python -m generator, and differ only in PYTHONPATH.
    module = before is not None
    tools = _tools(has_no_cache(dangjian_command(module), import_env(REPO)), module)
    clear_retired(settle=True)  # what a run that was stopped left behind; before the checks set more aside
    compared: list[str] = []
    if before is not None:
        ensure_before(before)  # sets aside the folder of another commit: after clear_retired, deleted at the end
        tools[before.name] = before_tool(before)
        compared = [
            f"- `{before.name}` is dangjian as of commit {before.sha} ({before.described}; `--before {before.rev}`), "
            f"extracted with `git archive` into `{before.folder}/`; `dangjian` is {git_commit()} "
            f"(the working tree of `{REPO}`). Both run as `python -m generator`, PYTHONPATH set to their folder; "
            f"`{before.name}` builds its own copy of each corpus (`{ROOT}/site-N-before/`), so its cache and "
            "edits are its own.",
        ]
    unavailable.update(check_peers(tools, [n for n in names if n not in unavailable], args.timeout))

    previous: list[SizeBlock] = []
    if args.merge and results_file.is_file():
        previous = [_block_from_json(b) for b in json.loads(results_file.read_text())["blocks"]]
    # Rows of tools this run does not measure, at sizes it does, are kept too (marked as such).
    kept = {b.size: [r for r in b.rows if r.tool not in names] for b in previous if b.size in sizes}
    kept_from = {b.size: b.started[:16].replace("T", " ") for b in previous}
    previous = [b for b in previous if b.size not in sizes]
    blocks: list[SizeBlock] = []
    note = f"--repeat {args.repeat}, sizes {', '.join(f'{s:,}' for s in sizes)}, tools {', '.join(names)}"

    def save(current: SizeBlock | None = None) -> None:
        everything = sorted([*previous, *blocks, *([current] if current and current not in blocks else [])],
                            key=lambda b: b.size)
        seconds = time.perf_counter() - began
        when = f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
        results_file.write_text(json.dumps({"blocks": [asdict(b) for b in everything], "note": note,
                                            "seconds": seconds, "tools": names, "finished": when,
                                            "compared": compared}, ensure_ascii=False, indent=1))
        report = markdown_report(everything, note, chart_path.name, seconds, names, when, compared)
        args.out.write_text(report + _kept_section(args.out), encoding="utf-8")
        chart_path.write_text(svg_chart(everything), encoding="utf-8")

    for size in sizes:
        log(f"=== {size:,} stories ===")
        block = run_size(size, names, tools, args.repeat, args.timeout, unavailable, save)
        for row in kept.get(size, []):
            if "kept from the run of" not in row.note:  # kept again: it still comes from its first run
                row.note = "; ".join(filter(None, [row.note, f"kept from the run of {kept_from[size]}"]))
            block.rows.append(row)
        blocks.append(block)
        save()
    clear_retired(settle=False)
    log(f"done in {(time.perf_counter() - began) / 60:.1f} min; wrote {args.out} and {chart_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
