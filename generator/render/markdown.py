"""Markdown to HTML: CommonMark plus tables, strikethrough, footnotes and heading anchors.

Links to other stories are written as relative links to their ``.md`` files and
become relative links to their pages; files next to a story become published assets.
Raw HTML is shown as text (``html: False``) until an allow-list sanitizer exists.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from generator.content.checks import BODY_PLACEHOLDER
from generator.content.model import Page, Story
from generator.content.paths import authored, on_own_computer, other_case
from generator.content.terms import NO_LINT, Lint
from generator.core.errors import Problem, error, warning
from generator.core.suggest import closest
from generator.render.lint import lint_body
from generator.render.urls import SiteUrls, output_path, relative

EXCERPT_LENGTH = 120
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_SENTENCE_END = "。！？；!?;"
# Chinese text wrapped in the source joins without a space (Han characters and CJK punctuation).
_HAN_PAIR = re.compile("[\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]{2}")
# Ids the footnote plugin gives its notes and references: always there when a note is.
_FOOTNOTE_ID = re.compile(r"^fn(ref)?\d+(:\d+)?$")
# "#" and "#top" take a browser to the top of any page (the HTML standard says so).
_ALWAYS_THERE = frozenset({"", "top"})
_PUBLISHED_LATER = "该文章发布后链接自动恢复；预览草稿可加 --drafts"
WITHHELD = {
    "draft": ("是草稿（draft: true），不会发布；链接只显示为文字", _PUBLISHED_LATER),
    # One story awaiting review must not hold back the approved ones that link to it.
    "review": ("还没有通过审核，本次不发布，链接显示为普通文字",
               "它通过审核后链接自动恢复；dangjian review 可查看审核进度"),
}
"""Why a linked document is not published (``Site.left_out``): the warning's words after its path, and the hint."""


def _anchor_slug(title: str) -> str:
    """Keep Chinese in heading ids; drop punctuation; spaces become '-'."""
    text = re.sub(r"[^\w\u3400-\u9fff\- ]", "", title.strip().lower())
    return re.sub(r"\s+", "-", text)


def _render_table_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # A wrapper lets wide tables scroll on phones instead of widening the page.
    return '<div class="table-wrap">' + str(self.renderToken(tokens, idx, options, env))


def _render_table_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return str(self.renderToken(tokens, idx, options, env)) + "</div>"


def make_parser() -> MarkdownIt:
    """Create the Markdown parser every story and page is rendered with."""
    md = (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=2, max_level=4, slug_func=_anchor_slug)
    )
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


@dataclass(frozen=True, slots=True)
class RenderedDoc:
    """The HTML of one story or page, and what it refers to."""

    html: str
    excerpt: str
    links: tuple[str, ...]
    """Content paths of the stories and pages it links to."""
    assets: tuple[str, ...]
    """Content paths of the files it shows or links to."""
    lookups: tuple[tuple[str, str, str | None], ...] = ()
    """Every lookup the rendering depended on: ("doc" | "file", content path, URL, "?" and why a document
    is not published, or None)."""
    text: str = ""
    """The body as plain text, blocks on lines of their own (what search indexes and shows)."""
    anchors: tuple[str, ...] = ()
    """The ids of its headings, which links from other documents may name after a ``#``."""
    fragments: tuple[tuple[int, str, str], ...] = ()
    """Its links into other documents' headings: (line, the target's content path, the id after ``#``)."""

    def still_valid(self, urls: SiteUrls, files: frozenset[str]) -> bool:
        """Tell whether every link and file this HTML was made with still resolves the same way."""
        return all(_lookup(kind, path, urls, files) == url for kind, path, url in self.lookups)


def _lookup(kind: str, path: str, urls: SiteUrls, files: frozenset[str]) -> str | None:
    if kind == "doc":
        # Why a document is not published changes the HTML and the warning (a draft's link is text alone).
        url = urls.doc_url(path)
        why = urls.left_out.get(path.rstrip("/")) if url is None else None
        return f"?{why}" if why is not None else url
    return urls.asset_url(path) if path in files else None


def _plain_text(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _joined(parts: list[str | None]) -> str:
    """Join inline text; a line break (None) becomes nothing between two Han characters, else a space."""
    out: list[str] = []
    for index, part in enumerate(parts):
        if part is not None:
            out.append(part)
            continue
        before = out[-1][-1:] if out else ""
        after = next((p[:1] for p in parts[index + 1 :] if p), "")
        out.append("" if _HAN_PAIR.fullmatch(before + after) else " ")
    return "".join(out)


def plain_text(tokens: list[Token]) -> str:
    """Return the text a reader sees in a document, without markup, one block a line."""
    blocks: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts: list[str | None] = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(None)
                elif child.type == "image":
                    parts.append("".join(c.content for c in child.children or [] if c.type == "text"))
            blocks.append(_joined(parts).strip())
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
    return "\n".join(block for block in blocks if block)


def make_excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """Cut text at about ``limit`` characters, at a sentence end when one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(mark) for mark in _SENTENCE_END)
    if end >= limit * 2 // 3:
        return cut[: end + 1]
    return cut.rstrip("，,、 ") + "…"


def _first_paragraph(tokens: list[Token]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and index + 1 < len(tokens):
            text = _plain_text(tokens[index + 1])
            if text:
                return text
    return ""


class _LinkRewriter:
    """Rewrites the links and images of one document, collecting problems."""

    def __init__(self, doc: Story | Page, urls: SiteUrls, files: frozenset[str]) -> None:
        self.doc = doc
        self.urls = urls
        self.files = files
        self.folder = posixpath.dirname(doc.source_path)
        self.shown = f"content/{doc.source_path}"
        self.problems: list[Problem] = []
        self.links: set[str] = set()
        self.assets: set[str] = set()
        self.lookups: set[tuple[str, str, str | None]] = set()
        self.anchors: tuple[str, ...] = ()
        self.fragments: list[tuple[int, str, str]] = []
        self.own_fragments: list[tuple[int, str]] = []

    def _resolve(self, target: str) -> str | None:
        resolved = posixpath.normpath(posixpath.join(self.folder, authored(unquote(target))))
        return None if resolved == ".." or resolved.startswith("../") else resolved

    def link(self, href: str, line: int) -> str | None:
        """The link's new address; None when the link is to be shown as its text alone."""
        if on_own_computer(unquote(href)):
            self.problems.append(error(self.shown, line, f"链接“{unquote(href)}”是写稿电脑上的路径，网站上打不开",
                                       "把文件复制到文章所在文件夹，再写 [说明](文件名)"))
            return href
        if href.startswith("#"):
            self.own_fragments.append((line, unquote(href[1:])))
            return href
        if not href or _SCHEME.match(href) or href.startswith("//"):
            return href
        if href.startswith("/"):
            self.problems.append(error(self.shown, line, f"链接“{unquote(href)}”以 / 开头，在子路径或本地打开时会失效",
                                       "改为相对于本文件的路径，例如 ../posts/xxx.md"))
            return href
        target, _, fragment = href.partition("#")
        resolved = self._resolve(target)
        if resolved is None:
            self.problems.append(error(self.shown, line, f"链接“{unquote(href)}”指向了站点 content 文件夹之外",
                                       "只能链接站点内的文章和文件"))
            return href
        doc_url = self.urls.doc_url(resolved)
        self.lookups.add(("doc", resolved, _lookup("doc", resolved, self.urls, self.files)))
        if doc_url is not None:
            self._note_fragment(line, resolved, unquote(fragment))
            self.links.add(resolved)
            return relative(self.doc.url, doc_url + (f"#{fragment}" if fragment else ""))
        why = self.urls.left_out.get(resolved.rstrip("/"))
        if why == "invalid":
            return href  # the target's own problems are reported; a second message would only distract
        if why is not None:
            self._withheld(unquote(target), why, line)
            return None
        if target.endswith(".md") or target.endswith("/"):
            self.problems.append(error(self.shown, line, f"链接的文章“{unquote(target)}”不存在", self._near(resolved)))
            return href
        if target.lower().endswith((".html", ".htm")):
            return self._built_page(unquote(href), resolved, line)
        return self._asset(unquote(target), resolved, line, "链接的文件")

    def _note_fragment(self, line: int, resolved: str, fragment: str) -> None:
        """Keep a link into a heading, to be checked once every document's headings are known."""
        if not fragment:
            return
        source = resolved if resolved.endswith(".md") else f"{resolved.rstrip('/')}/index.md"
        if source == self.doc.source_path:
            self.own_fragments.append((line, fragment))
        else:
            self.fragments.append((line, source, fragment))

    def _near(self, resolved: str) -> str:
        """A hint naming the published document whose file name is nearest, if one is near."""
        # Compare file names only: the shared folder prefix would make any path look close.
        names = {posixpath.basename(p.removesuffix("/index.md")): p for p in self.urls.sources}
        name = closest(posixpath.basename(resolved.rstrip("/")), names, cutoff=0.6)
        match = names[name] if name else None
        return f"是不是要写“{posixpath.relpath(match, self.folder)}”？" if match else "检查文件名和 ../ 的层数"

    def _withheld(self, target: str, why: str, line: int) -> None:
        """A link to a document that is not published: a warning, and the link shown as its text alone."""
        told, hint = WITHHELD.get(why, ("暂不发布，不会发布；链接只显示为文字", _PUBLISHED_LATER))
        self.problems.append(warning(self.shown, line, f"链接的文章“{target}”{told}", hint))

    def _built_page(self, href: str, resolved: str, line: int) -> str:
        """A link to a generated page (``.html``): name the Markdown file to link instead, when there is one."""
        path = href.partition("#")[0]
        # Written relative to the page as a browser shows it, or to the source as the content folder holds it.
        from_page = posixpath.normpath(posixpath.join(posixpath.dirname(output_path(self.doc.url)), authored(path)))
        source = self.urls.source_of(_page_url(from_page)) or self.urls.source_of(_page_url(resolved))
        if source is None:
            self.problems.append(error(self.shown, line, f"链接的网页“{href}”不存在",
                                       "链接站内文章要写它的 .md 文件，例如 ../posts/xxx.md，生成时自动换成网页地址"))
        else:
            self.problems.append(error(self.shown, line, f"链接“{href}”指向生成后的网页，而不是文章的 .md 文件",
                                       f"改为“{posixpath.relpath(source, self.folder)}”：生成时自动换成网页地址"))
        return href

    def image(self, src: str, alt: str, line: int) -> str:
        if not alt.strip():
            self.problems.append(warning(self.shown, line, f"图片“{unquote(src)}”没有说明文字",
                                         "写作 ![说明](文件名)：读屏软件会读出说明，图片打不开时也会显示它"))
        if src.startswith("data:"):
            return src
        if on_own_computer(unquote(src)):
            self.problems.append(error(self.shown, line, f"图片“{unquote(src)}”是写稿电脑上的路径，网站上无法显示",
                                       "把图片复制到文章所在文件夹，再写 ![说明](文件名.jpg)"))
            return src
        if _SCHEME.match(src) or src.startswith("//"):
            self.problems.append(error(self.shown, line, f"图片“{unquote(src)}”来自外部网址，内网中无法显示",
                                       "把图片下载后放在文章所在文件夹，再用相对路径引用"))
            return src
        resolved = self._resolve(src)
        if resolved is None or src.startswith("/"):
            self.problems.append(error(self.shown, line, f"图片路径“{unquote(src)}”指向了站点 content 文件夹之外",
                                       "把图片放在文章所在文件夹，例如 ![说明](photo.jpg)"))
            return src
        return self._asset(unquote(src), resolved, line, "图片")

    def _asset(self, written: str, resolved: str, line: int, what: str) -> str:
        self.lookups.add(("file", resolved, _lookup("file", resolved, self.urls, self.files)))
        if resolved not in self.files:
            spelled = other_case(resolved, self.files)
            if spelled:
                self.problems.append(error(self.shown, line, f"{what}“{written}”的字母大小写与文件不一致",
                                           f"改为“{posixpath.relpath(spelled, self.folder)}”：网站服务器区分大小写"))
            else:
                self.problems.append(error(self.shown, line, f"{what}“{written}”不存在",
                                           "检查文件名（含大小写和扩展名）以及是否放在文章所在文件夹"))
            return written
        self.assets.add(resolved)
        return relative(self.doc.url, self.urls.asset_url(resolved))

    def rewrite(self, tokens: list[Token], first_line: int) -> None:
        self.anchors = tuple(str(t.attrGet("id")) for t in tokens if t.type == "heading_open" and t.attrGet("id"))
        for token in tokens:
            if token.children:
                self._rewrite_inline(token, first_line + (token.map[0] if token.map else 0))
        known = set(self.anchors)
        for line, fragment in self.own_fragments:
            problem = fragment_problem(self.shown, line, "", fragment, known)
            if problem is not None:
                self.problems.append(problem)

    def _rewrite_inline(self, token: Token, line: int) -> None:
        children = token.children or []
        kept: list[Token] = []
        dropping = False
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1  # a link on the paragraph's third line is reported there
            elif child.type == "link_open":
                href = self.link(str(child.attrGet("href") or ""), line)
                if href is None:
                    dropping = True  # the link's text stays; its opening and closing tags go
                    continue
                child.attrSet("href", href)
            elif child.type == "link_close" and dropping:
                dropping = False
                continue
            elif child.type == "image":
                child.attrSet("src", self.image(str(child.attrGet("src") or ""), child.content, line))
                child.attrSet("loading", "lazy")
            kept.append(child)
        if len(kept) != len(children):
            token.children = kept


def _page_url(path: str) -> str:
    """The URL of the page written to ``path`` (``posts/a/index.html`` → ``posts/a/``)."""
    return path.removesuffix("index.html") if path == "index.html" or path.endswith("/index.html") else path


def fragment_problem(shown: str, line: int, target: str, fragment: str, anchors: Collection[str]) -> Problem | None:
    """A warning when ``fragment`` names no heading of the target (``anchors``); ``target`` empty: the same text."""
    if fragment in anchors or fragment in _ALWAYS_THERE or _FOOTNOTE_ID.match(fragment):
        return None
    near = closest(fragment, list(anchors), cutoff=0.5)
    hint = (f"是不是要写“#{near}”？" if near
            else "“#”后写小标题的文字（## 到 #### 的标题），英文字母小写，空格换成 -")
    where = f"“{target}#{fragment}”在该文章中" if target else f"“#{fragment}”在本文中"
    return warning(shown, line, f"链接的位置{where}不存在", hint)


def _placeholder(text: str, first_line: int, shown: str) -> list[Problem]:
    """A warning when the body still holds the text ``dangjian new`` starts it with."""
    at = text.find(BODY_PLACEHOLDER)
    if at < 0:
        return []
    line = first_line + text.count("\n", 0, at)
    return [warning(shown, line, f"正文还是 dangjian new 写入的示例文字“{BODY_PLACEHOLDER}…”", "把这一段换成正文")]


def render_doc(
    md: MarkdownIt, doc: Story | Page, urls: SiteUrls, files: frozenset[str], body: str | None = None,
    lint: Lint = NO_LINT,
) -> tuple[RenderedDoc, list[Problem]]:
    """Render one story or page body (``body`` when it was loaded without) to HTML with its links made relative.

    Its text is checked against ``lint`` (official formulations, banned words) on the same tokens.
    """
    env: dict[str, Any] = {}
    source = doc.body if body is None else body
    assert source is not None, "a document loaded without its body is rendered with the body read again"
    tokens = md.parse(source, env)
    rewriter = _LinkRewriter(doc, urls, files)
    rewriter.rewrite(tokens, doc.body_line)
    html = md.renderer.render(tokens, md.options, env)
    excerpt = doc.summary or make_excerpt(_first_paragraph(tokens))
    text = plain_text(tokens) if isinstance(doc, Story) else ""
    rendered = RenderedDoc(html, excerpt, tuple(sorted(rewriter.links)), tuple(sorted(rewriter.assets)),
                           tuple(sorted(rewriter.lookups, key=str)), text, rewriter.anchors, tuple(rewriter.fragments))
    return rendered, (rewriter.problems + _placeholder(source, doc.body_line, rewriter.shown)
                      + lint_body(tokens, doc.body_line, lint, rewriter.shown))
