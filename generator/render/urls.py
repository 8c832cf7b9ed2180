"""Site URLs and the relative links between pages.

Every URL inside the site is kept site-relative (``posts/slug/``) and turned into a
relative link only when a page is rendered, so the site works under any sub-path
and from disk. Links to folders end in ``index.html`` because file:// shows a
folder listing instead of its index page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from functools import lru_cache

from generator.content.model import Page, Story

INDEX = "index.html"


def output_path(url: str) -> str:
    """Return the file a site-relative URL is written to (``posts/a/`` → ``posts/a/index.html``)."""
    if url == "" or url.endswith("/"):
        return url + INDEX
    return url


def relative(from_url: str, to_url: str) -> str:
    """Return a relative link from the page at ``from_url`` to ``to_url``."""
    target, _, fragment = to_url.partition("#")
    link = _relative_path(from_url, target)
    return f"{link}#{fragment}" if fragment else link


def linker(from_url: str) -> Callable[[str], str]:
    """Return ``relative`` bound to the page at ``from_url``: the ``url()`` its template calls."""
    folders = output_path(from_url).split("/")[:-1]
    up = "../" * len(folders)
    # Only a target in the page's own top folder can share folders with it; every other link
    # climbs to the site root and goes down again, so it is a concatenation (most of a page's links).
    own = folders[0] + "/" if folders else "#"

    def url(target: str) -> str:
        if target.startswith(own) or "#" in target:
            return relative(from_url, target)
        return up + (target + INDEX if not target or target[-1] == "/" else target)

    return url


# Small: a key names the page linking, so entries are reused within a page and hardly after it.
# At 65,536 entries the cache held 13 MB in every worker process.
@lru_cache(maxsize=1024)
def _relative_path(from_url: str, target: str) -> str:
    # Called for every link of every page: plain string work on URLs we made ourselves
    # (no "." or ".." segments), several times faster than posixpath.relpath.
    here = output_path(from_url).split("/")[:-1]
    there = output_path(target).split("/")
    common = 0
    for a, b in zip(here, there[:-1], strict=False):
        if a != b:
            break
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


def page_url(base: str, number: int) -> str:
    """Return the URL of page ``number`` of a paginated list at ``base``."""
    return base if number == 1 else f"{base}page/{number}/"


class SiteUrls:
    """Where each source and each content file is published."""

    def __init__(self, docs: Iterable[Story | Page], left_out: Iterable[tuple[str, str]] = ()) -> None:
        self.left_out = {path: why for path, why in left_out}
        self.left_out |= {path.removesuffix("/index.md"): why for path, why in self.left_out.items()}
        self._doc_urls: dict[str, str] = {}
        self._bundles: dict[str, str] = {}
        self._sources: dict[str, str] | None = None
        """URL → source path, made when first asked for (``source_of``): few documents ever need it."""
        for doc in docs:
            self._doc_urls[doc.source_path] = doc.url
            if doc.bundle_dir:
                self._doc_urls[doc.bundle_dir] = doc.url
                self._bundles[doc.bundle_dir] = doc.url

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SiteUrls) and (self._doc_urls, self.left_out) == (other._doc_urls, other.left_out)

    __hash__ = None  # type: ignore[assignment]

    @property
    def sources(self) -> list[str]:
        """Content-relative paths of every published source."""
        return sorted(self._doc_urls)

    def doc_url(self, source_path: str) -> str | None:
        """Return the URL of the story or page with this content path (or bundle folder)."""
        return self._doc_urls.get(source_path) or self._doc_urls.get(source_path.rstrip("/"))

    def source_of(self, url: str) -> str | None:
        """Return the content path of the story or page published at this URL (``posts/a/``)."""
        if self._sources is None:
            self._sources = {doc_url: path for path, doc_url in self._doc_urls.items() if path.endswith(".md")}
        return self._sources.get(url)

    def asset_url(self, content_path: str) -> str:
        """Return where a content file is published: beside its bundle's page, or as it lies."""
        folder = posixpath.dirname(content_path)
        while folder:
            if folder in self._bundles:
                return self._bundles[folder] + posixpath.relpath(content_path, folder)
            folder = posixpath.dirname(folder)
        return content_path

    def bundle_files(self, bundle_dir: str, files: Iterable[str]) -> list[str]:
        """Return the content files that belong to a bundle folder."""
        prefix = bundle_dir + "/"
        return sorted(f for f in files if f.startswith(prefix))
