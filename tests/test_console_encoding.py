"""A Chinese Windows console writes GBK (code page 936): no output may fail there (issue #17).

Each command runs as a child process with ``PYTHONIOENCODING=gbk``, as on such a console or a
redirect there. Characters GBK lacks (an emoji, the rare 𠮷) must come out as "?", the exit codes
stay 0 / 1 / 2, and nothing prints a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EMOJI_TITLE = "迎七一😀𠮷主题党日"


def dangjian(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run dangjian writing GBK; return the exit code and its output, decoded strictly as GBK."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get(
        "PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=120)
    out, err = done.stdout.decode("gbk"), done.stderr.decode("gbk")
    assert "Traceback" not in out + err and "内部错误" not in out + err, out + err
    return done.returncode, out, err


@pytest.fixture
def site(tmp_path: Path) -> Path:
    assert dangjian("init", "site", cwd=tmp_path)[0] == 0
    return tmp_path / "site"


def test_init_prints_a_folder_named_with_an_emoji(tmp_path: Path) -> None:
    code, out, err = dangjian("init", "站点😀", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out.startswith("已在 站点? 新建站点。")
    assert (tmp_path / "站点😀" / "site.yaml").is_file()


def test_new_story_with_an_emoji_and_a_rare_character_in_its_title(site: Path) -> None:
    code, out, err = dangjian("new", "post", EMOJI_TITLE, "--unit", "县财政局", cwd=site)
    assert (code, err) == (0, "")
    path = Path(out.removeprefix("已新建 ").strip())
    assert f'title: "{EMOJI_TITLE}"' in (site / path).read_text(encoding="utf-8")


def test_an_error_quoting_an_emoji_is_shown_with_a_question_mark(site: Path) -> None:
    code, out, err = dangjian("new", "post", "标题", "--unit", "县财政局😀", cwd=site)
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith("--unit: error: 单位“县财政局?”不在 content/units.yaml 中")


def test_build_of_a_story_with_an_emoji_title_a_warning_and_an_error(site: Path) -> None:
    story = site / "content" / "posts" / "qi-yi.md"
    story.write_text(f"---\ntitle: {EMOJI_TITLE}\ndate: 2021-07-01\nunit: 县财政局\n作者😀: 王\n---\n正文😀。\n",
                     encoding="utf-8")
    code, out, err = dangjian("build", "--out", "输出😀", cwd=site)
    assert code == 0
    assert "未知的设置项“作者?”" in err
    assert out.rstrip().endswith("个文件：输出?")
    assert EMOJI_TITLE in (site / "输出😀" / "posts" / "qi-yi" / "index.html").read_text(encoding="utf-8")

    story.write_text(story.read_text(encoding="utf-8").replace("unit: 县财政局", "unit: 县财政局😀"), encoding="utf-8")
    code, out, err = dangjian("build", cwd=site)
    assert (code, out) == (1, "")
    assert "单位“县财政局?”不在 content/units.yaml 中" in err
    assert err.splitlines()[-1].startswith("构建失败：1 个错误")


def test_usage_error_and_help_in_gbk(tmp_path: Path) -> None:
    code, out, err = dangjian("😀", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == "dangjian: error: 未知命令“?”（可用的命令：build、check、serve、new、init、review）"
    code, out, err = dangjian("new", "--help", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out.startswith("用法：dangjian new")
