"""Markdown to HTML: CommonMark plus tables, strikethrough, footnotes and heading anchors.

Links to other stories are written as relative links to their ``.md`` files and
become relative links to their pages; files next to a story become published assets.
Raw HTML is shown as text (``html: False``) until an allow-list sanitizer exists.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from generator.content.model import Page, Story
from generator.content.paths import authored, on_own_computer, other_case
from generator.content.terms import NO_LINT, Lint
from generator.core.errors import Problem, error, warning
from generator.core.suggest import closest
from generator.render.lint import lint_body
from generator.render.urls import SiteUrls, relative

EXCERPT_LENGTH = 120
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_SENTENCE_END = "。！？；!?;"
# Chinese text wrapped in the source joins without a space (Han characters and CJK punctuation).
_HAN_PAIR = re.compile("[\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]{2}")


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
    """Every lookup the rendering depended on: ("doc" | "file", content path, URL or None)."""
    text: str = ""
    """The body as plain text, blocks on lines of their own (what search indexes and shows)."""

    def still_valid(self, urls: SiteUrls, files: frozenset[str]) -> bool:
        """Tell whether every link and file this HTML was made with still resolves the same way."""
        return all(_lookup(kind, path, urls, files) == url for kind, path, url in self.lookups)


def _lookup(kind: str, path: str, urls: SiteUrls, files: frozenset[str]) -> str | None:
    if kind == "doc":
        return urls.doc_url(path)
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

    def _resolve(self, target: str) -> str | None:
        resolved = posixpath.normpath(posixpath.join(self.folder, authored(unquote(target))))
        return None if resolved == ".." or resolved.startswith("../") else resolved

    def link(self, href: str, line: int) -> str | None:
        """The link's new target; None to show its text without a link."""
        if on_own_computer(unquote(href)):
            self.problems.append(error(self.shown, line, f"链接“{unquote(href)}”是写稿电脑上的路径，网站上打不开",
                                       "把文件复制到文章所在文件夹，再写 [说明](文件名)"))
            return href
        if not href or href.startswith("#") or _SCHEME.match(href) or href.startswith("//"):
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
        self.lookups.add(("doc", resolved, doc_url))
        if doc_url is not None:
            self.links.add(resolved)
            return relative(self.doc.url, doc_url + (f"#{fragment}" if fragment else ""))
        why = self.urls.left_out.get(resolved.rstrip("/"))
        if why == "invalid":
            return href  # the target's own problems are reported; a second message would only distract
        if why == "review":
            # Not an error: one story awaiting review must not hold back the approved ones that link to it.
            message = f"链接的文章“{unquote(target)}”还没有通过审核，本次不发布，链接显示为普通文字"
            hint = "它通过审核后链接自动恢复；dangjian review 可查看审核进度"
            self.problems.append(warning(self.shown, line, message, hint))
            return None
        if why == "draft":
            message = f"链接的文章“{unquote(target)}”是草稿（draft: true），不会发布"
            hint = "去掉链接，或在该文章中删去 draft: true；预览草稿可加 --drafts"
            self.problems.append(error(self.shown, line, message, hint))
            return href
        if target.endswith(".md") or target.endswith("/"):
            # Compare file names only: the shared folder prefix would make any path look close.
            names = {posixpath.basename(p.removesuffix("/index.md")): p for p in self.urls.sources}
            name = closest(posixpath.basename(resolved.rstrip("/")), names, cutoff=0.6)
            match = names[name] if name else None
            hint = f"是不是要写“{posixpath.relpath(match, self.folder)}”？" if match else "检查文件名和 ../ 的层数"
            self.problems.append(error(self.shown, line, f"链接的文章“{unquote(target)}”不存在", hint))
            return href
        return self._asset(unquote(target), resolved, line, "链接的文件")

    def image(self, src: str, line: int) -> str:
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
        for token in tokens:
            line = first_line + (token.map[0] if token.map else 0)
            unlinked: list[Token] = []
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1  # a link on the paragraph's third line is reported there
                elif child.type == "link_open":
                    href = self.link(str(child.attrGet("href") or ""), line)
                    if href is None:
                        unlinked.append(child)
                    else:
                        child.attrSet("href", href)
                elif child.type == "link_close" and unlinked and unlinked[-1].type == "link_open":
                    unlinked.append(child)  # links do not nest: this closes the link just unlinked
                elif child.type == "image":
                    child.attrSet("src", self.image(str(child.attrGet("src") or ""), line))
                    child.attrSet("loading", "lazy")
            if unlinked:
                token.children = [child for child in token.children or [] if all(child is not u for u in unlinked)]


def render_doc(
    md: MarkdownIt, doc: Story | Page, urls: SiteUrls, files: frozenset[str], body: str | None = None,
    lint: Lint = NO_LINT,
) -> tuple[RenderedDoc, list[Problem]]:
    """Render one story or page body (``body`` when it was loaded without) to HTML with its links made relative.

    Its text is checked against ``lint`` (official formulations, banned words) on the same tokens.
    """
    env: dict[str, Any] = {}
    text = doc.body if body is None else body
    assert text is not None, "a document loaded without its body is rendered with the body read again"
    tokens = md.parse(text, env)
    rewriter = _LinkRewriter(doc, urls, files)
    rewriter.rewrite(tokens, doc.body_line)
    html = md.renderer.render(tokens, md.options, env)
    excerpt = doc.summary or make_excerpt(_first_paragraph(tokens))
    text = plain_text(tokens) if isinstance(doc, Story) else ""
    rendered = RenderedDoc(html, excerpt, tuple(sorted(rewriter.links)), tuple(sorted(rewriter.assets)),
                           tuple(sorted(rewriter.lookups, key=str)), text)
    return rendered, rewriter.problems + lint_body(tokens, doc.body_line, lint, rewriter.shown)
