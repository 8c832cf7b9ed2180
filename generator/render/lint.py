"""The official-formulation lint of a Markdown body, on the tokens it is rendered from.

Only text a reader sees is linted: paragraphs, headings, list items, table cells, link text,
images' alternative text. Code spans and code blocks are not, nor link addresses. Raw HTML is
shown as text on this site (``html: False``), so it arrives here as text and is linted too.
A paragraph's lines are joined before matching, so that a term wrapped across two lines of the
source is found; the hit is reported on the line where it starts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from markdown_it.token import Token

from generator.content.terms import Lint
from generator.core.errors import Problem

_APART = "\x00"
"""Put between runs of text that are not read as one (around a code span or an image): no term spans it."""
_SEEN_AS_TEXT = frozenset({"text", "text_special", "html_inline"})
_TRANSPARENT = frozenset({"link_open", "link_close", "em_open", "em_close", "strong_open", "strong_close",
                          "s_open", "s_close"})


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _visible(children: Sequence[Token]) -> tuple[str, list[int]]:
    """The text of an inline token as a reader sees it, and the offsets at which its source lines begin."""
    parts: list[str] = []
    size = 0
    breaks: list[int] = []
    pending = False
    for child in children:
        kind = child.type
        if kind in _SEEN_AS_TEXT:
            text = child.content
        elif kind in ("softbreak", "hardbreak"):
            breaks.append(size)
            pending = True
            continue
        elif kind in _TRANSPARENT:
            continue
        elif kind == "image":
            text = _APART + "".join(c.content for c in child.children or () if c.type in _SEEN_AS_TEXT) + _APART
        else:  # a code span, a footnote reference: nothing to read across
            text = _APART
        # Chinese wraps without a space; only two Latin letters or digits keep one between them.
        if pending and text and parts and _latin(parts[-1][-1:]) and _latin(text[0]):
            parts.append(" ")
            size += 1
        pending = False
        parts.append(text)
        size += len(text)
    return "".join(parts), breaks


def lint_body(tokens: Sequence[Token], first_line: int, lint: Lint, shown: str) -> list[Problem]:
    """The hits of ``lint`` in the text of a parsed body whose first line is ``first_line`` of the file ``shown``."""
    if not lint:
        return []
    # The body's text is matched in one go (one call per body, not per paragraph: a tenth of
    # the lint's time at 5,000 stories), each block apart; ``offsets`` and ``lines`` say which
    # line of the file each stretch of it starts on.
    parts: list[str] = []
    offsets: list[int] = []
    lines: list[int] = []
    size, line = 0, first_line
    for token in tokens:
        if token.type != "inline":
            continue  # fenced and indented code are blocks of their own: not linted
        if token.map:
            line = first_line + token.map[0]
        offsets.append(size)
        lines.append(line)
        children = token.children or ()
        if len(children) == 1 and children[0].type == "text":  # most blocks of most bodies
            text = children[0].content
        else:
            text, breaks = _visible(children)
            offsets += [size + at for at in breaks]
            lines += range(line + 1, line + 1 + len(breaks))
        parts.append(text)
        size += len(text) + 1
    joined = _APART.join(parts)
    return [rule.problem(shown, lines[bisect_right(offsets, start) - 1]) for start, rule in lint.hits(joined)]
