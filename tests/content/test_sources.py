"""Reading sources: UTF-8 with or without BOM, LF or CRLF, and a clear error for GBK."""

from pathlib import Path

from generator.content.sources import decode, read_text


def test_decode_removes_the_byte_order_mark():
    text, problems = decode("\ufefftitle: 标题\n".encode(), "site.yaml")
    assert text == "title: 标题\n"
    assert problems == []


def test_decode_turns_crlf_and_cr_into_lf():
    text, problems = decode(b"a\r\nb\rc\n", "x.md")
    assert text == "a\nb\nc\n"
    assert problems == []


def test_decode_reports_gbk_bytes_as_not_utf8_at_their_line():
    data = "---\ntitle: ok\nunit: 县财政局\n".encode("gbk")
    text, problems = decode(data, "content/posts/a.md")
    assert text is None
    assert [p.format() for p in problems] == [
        "content/posts/a.md:3: error: 文件不是 UTF-8 编码，无法读取 "
        "(GBK/GB2312 编码的文件请用记事本“另存为”，编码选 UTF-8 后再保存)"
    ]


def test_decode_error_names_both_utf8_and_gbk():
    _, problems = decode("标题".encode("gbk"), "a.md")
    assert problems[0].line == 1
    assert "UTF-8" in problems[0].message
    assert "GBK" in problems[0].hint


def test_read_text_reads_a_file_with_bom_and_crlf(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes("\ufeff---\r\ntitle: 标题\r\n---\r\n".encode())
    assert read_text(path, "content/a.md") == ("---\ntitle: 标题\n---\n", [])


def test_read_text_reports_a_missing_file_without_a_line(tmp_path: Path):
    text, problems = read_text(tmp_path / "gone.md", "content/gone.md")
    assert text is None
    assert len(problems) == 1
    assert problems[0].format().startswith("content/gone.md: error: 无法读取文件：")
