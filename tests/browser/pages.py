"""Every page type of the example site, one line each: the browser checks run on all of them.

A page type added to ``plan_pages`` (a new template) must get a line here, or
``test_page_types_cover_every_template`` fails: nothing is left silently unchecked.
"""

from __future__ import annotations

PAGE_TYPES: dict[str, str] = {
    "home": "index.html",
    "branches list": "branches/index.html",
    "branches list page 2": "branches/page/2/index.html",
    "posts list": "posts/index.html",
    "posts list page 2": "posts/page/2/index.html",
    "cases list": "cases/index.html",
    "cases list page 2": "cases/page/2/index.html",
    "branch story (bundle, image)": "branches/xianwei-zhishu-zhibu/index.html",
    "post story (table, images)": "posts/gongshangju-dengji-chuangkou/index.html",
    "case story (bundle, cover)": "cases/yindongwan-road/index.html",
    "units index": "units/index.html",
    "unit with sub-units": "units/gongshangju/index.html",
    "unit without sub-units": "units/caizhengju/index.html",
    "activities index": "activities/index.html",
    "activity": "activities/sibang-sicu/index.html",
    "activity page 2": "activities/sibang-sicu/page/2/index.html",
    "archive": "archive/index.html",
    "archive year": "archive/2010/index.html",
    "standalone page": "about/index.html",
    "search page": "search/index.html",
    "404": "404.html",
}

STORY = PAGE_TYPES["case story (bundle, cover)"]
UNIT = PAGE_TYPES["unit with sub-units"]
