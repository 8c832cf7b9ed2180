"""The floor: the smallest Python pipeline that turns a dangjian site's stories into pages.

    python -m bench.floor SITE OUT [--jobs 2]

Lists ``content/{branches,posts,cases}/**/*.md`` and, in a ``multiprocessing`` pool of
``--jobs`` workers fed in chunks, does for each file: read, split the front matter,
``yaml.load`` with ``CSafeLoader``, render the body with markdown-it-py (the "commonmark"
preset plus tables), fill a small Jinja2 template (title, date, body) and write
``OUT/<kind>/<stem>/index.html``. Nothing else: no validation, no link rewriting, no
lists, no unit or activity pages, no feed. ``bench/run.py`` times dangjian against it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

KINDS = ("branches", "posts", "cases")
CHUNKS_PER_JOB = 4
TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<article>
<h1>{{ title }}</h1>
<p><time>{{ date }}</time></p>
{{ body }}
</article>
</body>
</html>
"""

# Set once per worker by _init.
_out: Path = Path()
_parser: MarkdownIt | None = None
_template: jinja2.Template | None = None


def _init(out: str) -> None:
    global _out, _parser, _template
    _out = Path(out)
    _parser = MarkdownIt("commonmark").enable("table")
    _template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter, body) of a ``---``-fenced document; no front matter gives ("", text)."""
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 3)
    if end < 0:
        return "", text
    return text[4:end], text[end + 5 :]


def render_file(path: Path, out: Path, parser: MarkdownIt, template: jinja2.Template) -> Path:
    """Read one story, render it and write ``out/<kind>/<stem>/index.html``; return the written file."""
    text = path.read_text(encoding="utf-8")
    head, body = split_front_matter(text)
    meta = yaml.load(head, Loader=yaml.CSafeLoader) or {}
    html = template.render(title=meta.get("title", ""), date=meta.get("date", ""),
                           body=Markup(parser.render(body)))
    stem = path.parent.name if path.name == "index.md" else path.stem
    kind = next(part for part in path.parts[::-1] if part in KINDS)
    target = out / kind / stem / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return target


def _work(chunk: list[str]) -> int:
    assert _parser is not None and _template is not None
    for name in chunk:
        render_file(Path(name), _out, _parser, _template)
    return len(chunk)


def find_stories(site: Path) -> list[str]:
    """All story files of the three kinds, sorted."""
    return sorted(str(p) for kind in KINDS for p in (site / "content" / kind).rglob("*.md"))


def build(site: Path, out: Path, jobs: int = 2) -> int:
    """Render every story of ``site`` into ``out`` with ``jobs`` processes; return the number of pages."""
    files = find_stories(site)
    if not files:
        return 0
    size = max(1, -(-len(files) // (jobs * CHUNKS_PER_JOB)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    if jobs <= 1:
        _init(str(out))
        return sum(_work(chunk) for chunk in chunks)
    with multiprocessing.Pool(jobs, initializer=_init, initargs=(str(out),)) as pool:
        return sum(pool.imap_unordered(_work, chunks))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m bench.floor SITE OUT [--jobs 2]``."""
    parser = argparse.ArgumentParser(description="Minimal read → YAML → Markdown → Jinja2 → write pipeline.")
    parser.add_argument("site", type=Path, help="a dangjian site folder")
    parser.add_argument("out", type=Path, help="output folder (pages are written into it)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    pages = build(args.site, args.out, max(1, args.jobs))
    print(f"floor: {pages} pages written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
