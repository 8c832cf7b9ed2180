"""URL slugs: Chinese turned into pinyin, then lowercase ASCII letters, digits and '-'."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Turn a title or file stem into a slug: ``银洞湾村修路`` → ``yin-dong-wan-cun-xiu-lu``."""
    if _HAN.search(text):
        # Imported here: pypinyin's dictionaries take 0.2 s to load, and most builds need none.
        from pypinyin import Style, lazy_pinyin

        # Each Han character becomes its own syllable; runs of other text stay together.
        text = " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def is_slug(text: str) -> bool:
    """Tell whether text is already a valid slug."""
    return bool(SLUG_PATTERN.match(text))
