"""The preview's listening sockets: port 8000 or the next free one, or exactly the port asked for.

The sockets are bound and listening before the first build, and the server is then started on
these very sockets: no other program can take the port in between, and a taken port is told at
once, not after a build of thousands of stories.
"""

from __future__ import annotations

import errno
import socket

import tornado.netutil

DEFAULT_PORT = 8000
TRIES = 20
"""How many ports from 8000 on are tried when no port was asked for."""

# Windows sockets report their own numbers: 10048 is "address in use"; 10013 "access denied" is
# what a port held exclusively by another program or reserved by Windows gives.
_IN_USE = {errno.EADDRINUSE, 10048}
_DENIED = {errno.EACCES, 10013}
_NOT_HERE = {errno.EADDRNOTAVAIL, 10049}


class StartError(Exception):
    """The preview cannot listen; the message is one line for the user."""


def _bind(host: str, port: int) -> list[socket.socket]:
    return tornado.netutil.bind_sockets(port, host)


def _taken(exc: OSError) -> bool:
    return exc.errno in _IN_USE | _DENIED


def _free_port(host: str, after: int) -> int | None:
    """A port after ``after`` that is free now, to suggest (another program may take it later)."""
    for port in range(after + 1, min(after + TRIES, 65535) + 1):
        try:
            sockets = _bind(host, port)
        except OSError:
            continue
        for sock in sockets:
            sock.close()
        return port
    return None


def _failure(exc: OSError, host: str, port: int) -> StartError:
    """Say in one line why host:port cannot be listened on, and what to do."""
    if isinstance(exc, socket.gaierror):
        return StartError(f"无法识别监听地址“{host}”；只在本机预览时不用写 --host")
    if exc.errno in _NOT_HERE:
        return StartError(f"本机没有地址 {host}，无法在上面监听；只在本机预览时不用写 --host，"
                          "要让同一局域网的电脑访问可写 --host 0.0.0.0")
    if _taken(exc):
        free = _free_port(host, port)
        instead = f"例如 dangjian serve --port {free}" if free else "或用 --port 0 任选一个空闲端口"
        if exc.errno in _DENIED:
            return StartError(f"无法使用端口 {port}：没有权限，或该端口被其他程序独占、被系统保留；"
                              f"请换一个端口，{instead}")
        return StartError(f"端口 {port} 已被其他程序占用；请换一个端口，{instead}")
    return StartError(f"无法在 {host}:{port} 上启动预览：{exc.strerror or exc}")


def open_port(host: str, port: int | None) -> tuple[list[socket.socket], int, str]:
    """Bind and listen on host:port, or with no port on 8000 or the next free one.

    Returns the sockets, the port bound and a line to tell the user when the port was moved
    (else an empty string). Raises ``StartError`` when there is nothing to listen on.
    """
    if port is not None:
        try:
            sockets = _bind(host, port)
        except OSError as exc:
            raise _failure(exc, host, port) from None
        return sockets, sockets[0].getsockname()[1], ""
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + TRIES):
        try:
            sockets = _bind(host, candidate)
        except OSError as exc:
            if _taken(exc):
                continue
            raise _failure(exc, host, candidate) from None
        moved = f"端口 {DEFAULT_PORT} 已被其他程序占用，改用端口 {candidate}。" if candidate != DEFAULT_PORT else ""
        return sockets, candidate, moved
    raise StartError(f"端口 {DEFAULT_PORT} 到 {DEFAULT_PORT + TRIES - 1} 都已被其他程序占用；"
                     "请用 --port 指定一个空闲端口，或用 --port 0 任选一个")


def url_for(host: str, port: int) -> str:
    """The address to open in a browser on this computer for a server on host:port."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"  # listening on every address: this computer's own is one of them
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
