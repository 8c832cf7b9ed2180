"""Crawl the built example site: every internal link works, none is root-absolute, nothing is external."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

RESOURCE_TAGS = {"img", "script", "link", "iframe", "source", "video", "audio", "embed", "object", "track"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src", "poster", "data", "action"):
                self.links.append((tag, name, value))
            if name == "srcset":
                self.links += [(tag, name, part.split()[0]) for part in value.split(",") if part.strip()]
            if name == "style":
                self.links += [(tag, name, m.group(1) or m.group(2)) for m in CSS_URL.finditer(value)]


@pytest.fixture
def example_site(example_output: Path) -> Path:
    return example_output


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _is_external(value: str) -> bool:
    scheme = urlsplit(value).scheme
    return value.startswith("//") or scheme not in ("", "mailto", "tel", "data")


def _resolve(site: Path, page: Path, value: str) -> tuple[Path, str]:
    parts = urlsplit(value)
    if not parts.path:  # a fragment alone points into the same page
        return page, unquote(parts.fragment)
    rel = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), unquote(parts.path)))
    return site / rel, unquote(parts.fragment)


def test_example_site_has_enough_pages(example_site: Path) -> None:
    pages = list(example_site.rglob("*.html"))
    assert len(pages) > 50
    assert (example_site / "feed.xml").is_file() and (example_site / "sitemap.xml").is_file()


def test_no_broken_root_absolute_or_external_link(example_site: Path) -> None:
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page in sorted(example_site.rglob("*.html")):
        parsed = _parse(page)
        ids[page] = parsed.ids
        for tag, attribute, value in parsed.links:
            where = f"{page.relative_to(example_site)}: <{tag} {attribute}={value!r}>"
            if value.startswith("/") and not value.startswith("//"):
                problems.append(f"{where} is root-absolute")
            elif _is_external(value):
                if tag in RESOURCE_TAGS or attribute in ("src", "srcset", "style", "poster"):
                    problems.append(f"{where} loads an external resource")
            elif not value.startswith(("data:", "mailto:", "tel:")):
                target, fragment = _resolve(example_site, page, value)
                checked += 1
                if not target.is_file():
                    problems.append(f"{where} points to a missing file")
                elif fragment and target.suffix == ".html":
                    target_ids = ids.get(target) or _parse(target).ids
                    if fragment not in target_ids:
                        problems.append(f"{where} points to a missing anchor")
    assert checked > 500
    assert not problems, "\n".join(problems[:20])


def test_stylesheets_load_nothing_from_outside(example_site: Path) -> None:
    for css in example_site.rglob("*.css"):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            value = match.group(1) or match.group(2)
            assert not _is_external(value) and not value.startswith("/"), f"{css}: {value}"
            if not value.startswith("data:"):
                assert (css.parent / value).is_file(), f"{css}: {value}"


def test_feed_and_sitemap_links_resolve(example_site: Path) -> None:
    for name in ("feed.xml", "sitemap.xml"):
        text = (example_site / name).read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]+)"|<loc>([^<]+)</loc>', text)
        values = [a or b for a, b in links]
        assert len(values) > 10
        for value in values:
            assert not value.startswith("/") and not _is_external(value), value
            assert (example_site / unquote(value)).is_file(), f"{name}: {value}"
