"""Markdown to HTML: extensions, heading ids, escaped HTML, link rewriting and excerpts."""

import datetime as dt
from urllib.parse import quote

from generator.content.model import KIND_BY_KEY, Page, Story
from generator.render.markdown import EXCERPT_LENGTH, RenderedDoc, make_excerpt, make_parser, render_doc
from generator.render.urls import SiteUrls

BODY_LINE = 6
"""Stories here have a five-line front matter, so the body starts on file line 6."""


def story(source_path: str, body: str = "正文。", slug: str = "", summary: str = "",
          bundle_dir: str | None = None) -> Story:
    kind = KIND_BY_KEY[{"branches": "branch", "posts": "post", "cases": "case"}[source_path.split("/")[0]]]
    slug = slug or source_path.split("/")[-1].removesuffix(".md")
    return Story(kind, slug, "标题", dt.date(2010, 5, 12), "caizhengju", (), source_path, body, BODY_LINE,
                 summary=summary, bundle_dir=bundle_dir)


OTHER = story("posts/guoku-gang.md")
BUNDLE = story("cases/xiulu/index.md", slug="xiu-lu", bundle_dir="cases/xiulu")
ABOUT = Page("about", "关于", "pages/about.md", "关于本站。", 4)
FILES = frozenset({"cases/xiulu/road.jpg", "images/logo.png", "files/report.pdf"})


def render(doc: Story | Page, files: frozenset[str] = FILES) -> tuple[RenderedDoc, list[str]]:
    rendered, problems = render_doc(make_parser(), doc, SiteUrls([doc, OTHER, BUNDLE, ABOUT]), files)
    return rendered, [p.format() for p in problems]


def html_of(body: str) -> str:
    rendered, problems = render(story("branches/a.md", body))
    assert problems == []
    return rendered.html


def test_tables_are_wrapped_so_they_scroll_on_phones():
    html = html_of("| 项目 | 规模 |\n| --- | --- |\n| 粽叶 | 500 亩 |\n")
    assert html.startswith('<div class="table-wrap"><table>\n')
    assert html.rstrip().endswith("</table>\n</div>")
    assert "<td>500 亩</td>" in html


def test_strikethrough_is_enabled():
    assert html_of("~~旧数字~~ 新数字") == "<p><s>旧数字</s> 新数字</p>\n"


def test_footnotes_are_rendered_at_the_end():
    html = html_of("国务院2号文件[^1]\n\n[^1]: 国发〔2012〕2号\n")
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in html
    assert '<li id="fn1" class="footnote-item"><p>国发〔2012〕2号' in html


def test_heading_ids_keep_chinese_and_drop_punctuation():
    html = html_of("## 宣传政策，凝聚人心\n\n### Step 2: 修路\n")
    assert '<h2 id="宣传政策凝聚人心">宣传政策，凝聚人心</h2>' in html
    assert '<h3 id="step-2-修路">Step 2: 修路</h3>' in html


def test_top_level_heading_gets_no_id():
    assert html_of("# 标题\n") == "<h1>标题</h1>\n"


def test_raw_html_is_shown_as_text():
    html = html_of('<script>alert("x")</script>\n\n段落里的 <b>粗体</b>\n')
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html


def test_links_to_markdown_files_become_relative_links_to_their_pages():
    body = "见[示范岗](../posts/guoku-gang.md)和[关于](../pages/about.md)。"
    rendered, problems = render(story("branches/a.md", body))
    assert problems == []
    assert '<a href="../../posts/guoku-gang/index.html">示范岗</a>' in rendered.html
    assert '<a href="../../about/index.html">关于</a>' in rendered.html
    assert rendered.links == ("pages/about.md", "posts/guoku-gang.md")


def test_links_keep_their_fragment_percent_encoded():
    rendered, problems = render(story("branches/a.md", "[修路](../cases/xiulu/index.md#培育产业)"))
    assert problems == []
    assert f'<a href="../../cases/xiu-lu/index.html#{quote("培育产业")}">修路</a>' in rendered.html


def test_links_to_chinese_file_names_are_found():
    target = story("posts/国库岗.md", slug="guo-ku-gang")
    doc = story("branches/a.md", "[国库岗](../posts/国库岗.md)")
    rendered, problems = render_doc(make_parser(), doc, SiteUrls([doc, target]), FILES)
    assert problems == []
    assert 'href="../../posts/guo-ku-gang/index.html"' in rendered.html
    assert rendered.links == ("posts/国库岗.md",)


def test_links_to_a_bundle_folder_reach_its_page():
    rendered, problems = render(story("branches/a.md", "[修路](../cases/xiulu/)"))
    assert problems == []
    assert 'href="../../cases/xiu-lu/index.html"' in rendered.html


def test_external_links_and_fragments_are_left_alone():
    html = html_of("[外网](https://www.gov.cn/) [邮件](mailto:a@b.cn) [本页](#小标题)\n\n## 小标题\n")
    assert 'href="https://www.gov.cn/"' in html
    assert 'href="mailto:a@b.cn"' in html
    assert f'href="#{quote("小标题")}"' in html


def test_broken_link_is_an_error_with_its_file_line_and_a_suggestion():
    _, problems = render(story("branches/a.md", "第一段。\n\n见[示范岗](../posts/guoku-gan.md)。\n"))
    assert problems == [
        "content/branches/a.md:8: error: 链接的文章“../posts/guoku-gan.md”不存在 "
        "(是不是要写“../posts/guoku-gang.md”？)"]


def test_broken_link_without_a_close_match_explains_what_to_check():
    _, problems = render(story("branches/a.md", "[x](../posts/zzzzzz.md)"))
    assert problems == [
        "content/branches/a.md:6: error: 链接的文章“../posts/zzzzzz.md”不存在 (检查文件名和 ../ 的层数)"]


def test_broken_link_in_a_table_is_reported_at_its_row():
    _, problems = render(story("branches/a.md", "| 甲 |\n| --- |\n| 乙 |\n| [丙](nope.md) |\n"))
    assert [p.split(": error")[0] for p in problems] == ["content/branches/a.md:9"]


def test_broken_link_in_a_footnote_is_reported_at_its_line():
    _, problems = render(story("branches/a.md", "正文[^1]\n\n[^1]: 见[文](nope.md)\n"))
    assert [p.split(": error")[0] for p in problems] == ["content/branches/a.md:8"]


def test_broken_link_on_the_second_line_of_a_paragraph_is_reported_at_that_line():
    _, problems = render(story("branches/a.md", "第一行，\n第二行见[文](nope.md)。\n"))
    assert [p.split(": error")[0] for p in problems] == ["content/branches/a.md:7"]


def test_root_relative_link_is_an_error():
    _, problems = render(story("branches/a.md", "[x](/posts/guoku-gang/)"))
    assert problems == [
        "content/branches/a.md:6: error: 链接“/posts/guoku-gang/”以 / 开头，在子路径或本地打开时会失效 "
        "(改为相对于本文件的路径，例如 ../posts/xxx.md)"]


def test_link_outside_content_is_an_error():
    _, problems = render(story("branches/a.md", "[x](../../site.yaml)"))
    assert problems == [
        "content/branches/a.md:6: error: 链接“../../site.yaml”指向了站点 content 文件夹之外 "
        "(只能链接站点内的文章和文件)"]


def test_links_to_files_become_published_assets():
    rendered, problems = render(story("branches/a.md", "[报告](../files/report.pdf)"))
    assert problems == []
    assert '<a href="../../files/report.pdf">报告</a>' in rendered.html
    assert rendered.assets == ("files/report.pdf",)


def test_bundle_images_are_linked_beside_the_page_and_load_lazily():
    rendered, problems = render(story("cases/xiulu/index.md", "![新修的路](road.jpg)", slug="xiu-lu",
                                      bundle_dir="cases/xiulu"))
    assert problems == []
    assert '<img src="road.jpg" alt="新修的路" loading="lazy" />' in rendered.html
    assert rendered.assets == ("cases/xiulu/road.jpg",)


def test_images_outside_bundles_are_linked_relatively():
    rendered, _ = render(story("branches/a.md", "![徽标](../images/logo.png)"))
    assert 'src="../../images/logo.png"' in rendered.html


def test_external_image_is_an_error():
    _, problems = render(story("branches/a.md", "正文。\n\n![照片](http://example.com/a.jpg)\n"))
    assert problems == [
        "content/branches/a.md:8: error: 图片“http://example.com/a.jpg”来自外部网址，内网中无法显示 "
        "(把图片下载后放在文章所在文件夹，再用相对路径引用)"]


def test_missing_image_is_an_error():
    _, problems = render(story("branches/a.md", "![照片](photo.JPG)"))
    assert problems == [
        "content/branches/a.md:6: error: 图片“photo.JPG”不存在 "
        "(检查文件名（含大小写和扩展名）以及是否放在文章所在文件夹)"]


def test_image_outside_content_is_an_error():
    _, problems = render(story("branches/a.md", "![x](../../../etc/a.png)"))
    assert problems == [
        "content/branches/a.md:6: error: 图片路径“../../../etc/a.png”指向了站点 content 文件夹之外 "
        "(把图片放在文章所在文件夹，例如 ![说明](photo.jpg))"]


def test_links_on_pages_are_relative_to_the_page_url():
    page = Page("about", "关于", "pages/about.md", "[示范岗](../posts/guoku-gang.md)", 4)
    rendered, problems = render(page)
    assert problems == []
    assert 'href="../posts/guoku-gang/index.html"' in rendered.html


def test_excerpt_is_the_first_paragraph_as_plain_text():
    rendered, _ = render(story("branches/a.md", "## 小标题\n\n![图](../images/logo.png)\n\n"
                                                "支部坚持**三会一课**，\n学习`制度`。\n\n第二段。"))
    assert rendered.excerpt == "支部坚持三会一课， 学习制度。"


def test_summary_from_front_matter_wins_over_the_first_paragraph():
    rendered, _ = render(story("branches/a.md", "第一段。", summary="一句话摘要"))
    assert rendered.excerpt == "一句话摘要"


def test_excerpt_of_a_story_without_paragraphs_is_empty():
    rendered, _ = render(story("branches/a.md", "## 只有标题\n"))
    assert rendered.excerpt == ""


def test_make_excerpt_keeps_short_text_whole():
    assert make_excerpt("短文。") == "短文。"
    assert make_excerpt("字" * EXCERPT_LENGTH) == "字" * EXCERPT_LENGTH


def test_make_excerpt_counts_chinese_characters_and_marks_the_cut():
    assert EXCERPT_LENGTH == 120
    assert make_excerpt("党" * 200) == "党" * 120 + "…"


def test_make_excerpt_cuts_at_a_sentence_end_near_the_limit():
    text = "甲" * 99 + "。" + "乙" * 100
    assert make_excerpt(text) == "甲" * 99 + "。"


def test_make_excerpt_ignores_a_sentence_end_too_early_and_drops_a_trailing_comma():
    text = "甲" * 10 + "。" + "乙" * 108 + "，" + "丙" * 50
    assert make_excerpt(text) == "甲" * 10 + "。" + "乙" * 108 + "…"


def test_headings_give_anchors_and_links_into_other_documents_are_kept_to_check_later():
    rendered, problems = render(story("branches/a.md", "## 岗位 职责\n\n见[职责](../posts/guoku-gang.md#岗位职责)、"
                                      "[本文](a.md#岗位-职责)和[案例](../cases/xiulu/#修路)。\n"))
    assert problems == []
    assert rendered.anchors == ("岗位-职责",)
    assert rendered.fragments == ((BODY_LINE + 2, "posts/guoku-gang.md", "岗位职责"),
                                  (BODY_LINE + 2, "cases/xiulu/index.md", "修路"))


def test_a_link_to_a_heading_this_text_lacks_is_a_warning_with_the_nearest_one():
    _, problems = render(story("branches/a.md", "## 岗位职责\n\n见[上文](#岗位职)和[注](#fn1)，[回到顶部](#top)。\n"))
    assert problems == [f"content/branches/a.md:{BODY_LINE + 2}: warning: 链接的位置“#岗位职”在本文中不存在 "
                        "(是不是要写“#岗位职责”？)"]


def test_a_link_to_a_draft_is_a_warning_and_shows_as_its_text_alone():
    urls = SiteUrls([OTHER], left_out=[("posts/draft.md", "draft"), ("posts/other.md", "review")])
    doc = story("branches/a.md", "见[草稿](../posts/draft.md)和[待审](../posts/other.md#a)。\n")
    rendered, problems = render_doc(make_parser(), doc, urls, FILES)
    assert rendered.html == "<p>见草稿和待审。</p>\n"
    assert [p.format() for p in problems] == [
        f"content/branches/a.md:{BODY_LINE}: warning: 链接的文章“../posts/draft.md”是草稿（draft: true），"
        "不会发布；链接只显示为文字 (该文章发布后链接自动恢复；预览草稿可加 --drafts)",
        f"content/branches/a.md:{BODY_LINE}: warning: 链接的文章“../posts/other.md”还没有通过审核，本次不发布，"
        "链接显示为普通文字 (它通过审核后链接自动恢复；dangjian review 可查看审核进度)"]


def test_a_link_to_a_generated_page_names_the_markdown_file_to_link_instead():
    _, problems = render(story("posts/a.md", "见[国库岗](../guoku-gang/index.html)、[案例](../cases/xiu-lu/index.html)"
                                             "和[旧页](../old/index.html)。\n"))
    assert problems == [
        f"content/posts/a.md:{BODY_LINE}: error: 链接“../guoku-gang/index.html”指向生成后的网页，而不是文章的 .md 文件 "
        "(改为“guoku-gang.md”：生成时自动换成网页地址)",
        f"content/posts/a.md:{BODY_LINE}: error: 链接“../cases/xiu-lu/index.html”指向生成后的网页，"
        "而不是文章的 .md 文件 (改为“../cases/xiulu/index.md”：生成时自动换成网页地址)",
        f"content/posts/a.md:{BODY_LINE}: error: 链接的网页“../old/index.html”不存在 "
        "(链接站内文章要写它的 .md 文件，例如 ../posts/xxx.md，生成时自动换成网页地址)"]


def test_an_image_without_alt_text_is_a_warning():
    _, problems = render(story("cases/xiulu/index.md", "![](road.jpg)\n\n![修好的路](road.jpg)\n", slug="xiu-lu",
                               bundle_dir="cases/xiulu"))
    assert problems == [f"content/cases/xiulu/index.md:{BODY_LINE}: warning: 图片“road.jpg”没有说明文字 "
                        "(写作 ![说明](文件名)：读屏软件会读出说明，图片打不开时也会显示它)"]


def test_the_body_dangjian_new_writes_is_a_warning_where_it_is():
    _, problems = render(story("posts/a.md", "第一段。\n\n在这里写正文。可以用 ## 小标题。\n"))
    assert problems == [f"content/posts/a.md:{BODY_LINE + 2}: warning: 正文还是 dangjian new 写入的示例文字"
                        "“在这里写正文…” (把这一段换成正文)"]
