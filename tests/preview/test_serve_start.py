"""How ``dangjian serve`` starts: a taken port, other reasons it cannot listen, ``--open`` (issue #17)."""

from __future__ import annotations

import errno
import os
import re
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.pipeline.builder import Builder
from generator.pipeline.options import BuildOptions
from generator.preview import ports
from generator.preview.serve import Rebuilder
from generator.preview.server import PreviewState
from tests.conftest import ROOT
from tests.serving import ServeProcess

STORY = "content/posts/国库支付示范岗.md"
STORY_URL = "/posts/guo-ku-zhi-fu-shi-fan-gang/"


def occupy(port: int) -> socket.socket | None:
    """Listen on 127.0.0.1:port as another program would; None if another program already does."""
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        return None
    sock.listen()
    return sock


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port of 127.0.0.1 that another program listens on."""
    sock = occupy(0)
    assert sock is not None
    yield sock.getsockname()[1]
    sock.close()


def serve_once(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``dangjian serve`` expecting it to end by itself (it cannot start)."""
    return subprocess.run([sys.executable, "-m", "generator", "serve", "--site", str(site), *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_with_the_default_port_taken_serve_moves_to_the_next_free_one(fixture_site: Path) -> None:
    held = occupy(ports.DEFAULT_PORT)  # None: another program holds it already, which is as good
    try:
        server = ServeProcess(fixture_site, port=None)
        try:
            assert server.port != ports.DEFAULT_PORT
            assert f"端口 8000 已被其他程序占用，改用端口 {server.port}。" in server.lines
            status, _, body = server.get(STORY_URL)
            assert status == 200 and "国库支付窗口实行首问负责制".encode() in body
            assert server.interrupt() == 0
        finally:
            server.close()
    finally:
        if held is not None:
            held.close()
    assert "Traceback" not in "\n".join(server.lines)


def test_a_taken_port_given_with_port_ends_with_one_line_and_status_1(fixture_site: Path, taken_port: int) -> None:
    done = serve_once(fixture_site, "--port", str(taken_port))
    assert (done.returncode, done.stdout) == (1, "")
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    match = re.fullmatch(rf"error: 端口 {taken_port} 已被其他程序占用；请换一个端口，例如 dangjian serve --port (\d+)",
                         lines[0])
    assert match, lines[0]
    free = occupy(int(match.group(1)))  # the port suggested was free
    assert free is not None
    free.close()


def test_an_address_not_of_this_computer_ends_with_one_line_and_status_1(fixture_site: Path) -> None:
    done = serve_once(fixture_site, "--host", "192.0.2.1")  # TEST-NET-1: never a local address
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        "error: 本机没有地址 192.0.2.1，无法在上面监听；只在本机预览时不用写 --host，"
        "要让同一局域网的电脑访问可写 --host 0.0.0.0"]


Bind = Callable[[str, int], list[socket.socket]]


def refusing(refused: dict[int, int]) -> Bind:
    """A stand-in for binding that refuses the ports given, with their error numbers, and binds the others."""
    def bind(host: str, port: int) -> list[socket.socket]:
        if port in refused:
            raise OSError(refused[port], os.strerror(refused[port]))
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        return [sock]
    return bind


def unknown_host(host: str, port: int) -> list[socket.socket]:
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.mark.parametrize(("refused", "port"), [
    ({8000: errno.EADDRINUSE}, 8001),
    ({8000: errno.EADDRINUSE, 8001: errno.EADDRINUSE, 8002: errno.EADDRINUSE}, 8003),
    ({8000: 10048, 8001: 10013}, 8002),  # Windows: in use; held exclusively by another program or reserved
    ({8000: errno.EACCES}, 8001),
])
def test_without_port_the_next_free_one_is_taken(monkeypatch: pytest.MonkeyPatch, refused: dict[int, int],
                                                 port: int) -> None:
    monkeypatch.setattr(ports, "_bind", refusing(refused))
    sockets, bound, moved = ports.open_port("127.0.0.1", None)
    for sock in sockets:
        sock.close()
    assert (bound, moved) == (port, f"端口 8000 已被其他程序占用，改用端口 {port}。")


def test_without_port_and_every_port_tried_taken_the_message_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ports, "_bind", refusing({8000 + n: errno.EADDRINUSE for n in range(ports.TRIES)}))
    with pytest.raises(ports.StartError) as caught:
        ports.open_port("127.0.0.1", None)
    assert str(caught.value) == ("端口 8000 到 8019 都已被其他程序占用；"
                                 "请用 --port 指定一个空闲端口，或用 --port 0 任选一个")


@pytest.mark.parametrize(("refusal", "message"), [
    (refusing({80: errno.EACCES}), "无法使用端口 80：没有权限，或该端口被其他程序独占、被系统保留；"
                                   "请换一个端口，例如 dangjian serve --port 81"),
    (refusing({80: errno.EADDRINUSE, 81: errno.EADDRINUSE}),
     "端口 80 已被其他程序占用；请换一个端口，例如 dangjian serve --port 82"),
    (refusing({80: errno.EADDRINUSE, **{81 + n: errno.EADDRINUSE for n in range(ports.TRIES)}}),
     "端口 80 已被其他程序占用；请换一个端口，或用 --port 0 任选一个空闲端口"),
    (unknown_host, "无法识别监听地址“127.0.0.1”；只在本机预览时不用写 --host"),
    (refusing({80: errno.EMFILE}), f"无法在 127.0.0.1:80 上启动预览：{os.strerror(errno.EMFILE)}"),
])
def test_a_port_given_that_cannot_be_used_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, refusal: Bind,
                                                            message: str) -> None:
    monkeypatch.setattr(ports, "_bind", refusal)
    with pytest.raises(ports.StartError) as caught:
        ports.open_port("127.0.0.1", 80)
    assert str(caught.value) == message


def test_the_browser_address_of_a_server_on_every_address_is_this_computers() -> None:
    assert ports.url_for("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert ports.url_for("::", 8000) == "http://[::1]:8000/"
    assert ports.url_for("192.168.1.5", 8001) == "http://192.168.1.5:8001/"


def test_a_rebuilder_never_started_stops_quietly(fixture_site: Path, tmp_path: Path) -> None:
    # Ctrl-C during the first build stops a rebuild thread that never started ("cannot join thread").
    rebuilder = Rebuilder(Builder(BuildOptions(site_dir=fixture_site)), PreviewState(tmp_path), lambda: None, print)
    rebuilder.stop()


def test_open_opens_the_browser_at_the_printed_address_once_it_answers(fixture_site: Path, tmp_path: Path) -> None:
    # The "browser" is a script that hands the address it was given to this test through a socket.
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(60)
    browser = tmp_path / "browser"
    browser.write_text(f"#!{sys.executable}\nimport socket, sys\n"
                       f"socket.create_connection(('127.0.0.1', {listener.getsockname()[1]})).sendall("
                       "sys.argv[1].encode())\n", encoding="utf-8")
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    server = ServeProcess(fixture_site, "--open", env={"BROWSER": str(browser)})
    try:
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(60)
            opened = connection.recv(1000).decode()
        assert opened == server.url
        assert server.get(STORY_URL)[0] == 200
    finally:
        listener.close()
        server.close()


def test_a_build_error_quoting_an_emoji_is_shown_on_a_gbk_console_and_the_preview_goes_on(
        fixture_site: Path) -> None:
    server = ServeProcess(fixture_site, env={"PYTHONIOENCODING": "gbk"}, encoding="gbk")
    try:
        story = fixture_site / STORY
        text = story.read_text(encoding="utf-8")
        story.write_text(text.replace("unit: 县财政局", "unit: 县财政局😀"), encoding="utf-8")
        server.wait_for_line(re.compile(r"单位“县财政局\?”不在 content/units\.yaml 中"))
        story.write_text(text.replace("首问负责制", "首问负责制😀"), encoding="utf-8")
        server.wait_until(STORY_URL, lambda status, page: status == 200 and "首问负责制😀" in page)
        assert server.interrupt() == 0
    finally:
        server.close()
    assert "Traceback" not in "\n".join(server.lines)
