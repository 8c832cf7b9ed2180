"""Make the offline install bundle: ``dist/dangjian-<version>-offline.zip`` (``make dist``).

The zip holds ``wheels/`` (dangjian and every runtime dependency for each of ``PYTHONS`` on each of
``PLATFORMS``), ``install.bat``, ``install.sh`` and ``安装说明.txt``. Run it from anywhere:
``python offline/bundle.py [--out DIR]``. It needs PyPI (or the mirror pip is configured with).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PYTHONS = ("3.11", "3.12", "3.13")


def _manylinux(arch: str) -> tuple[str, ...]:
    """Every manylinux tag up to glibc 2.28, the glibc of 麒麟 V10 and 统信 UOS 20."""
    # pip expands manylinux2014 to 2010 and 1 but not manylinux_2_28 to the 2_x below it, so name them all.
    return (f"manylinux2014_{arch}", *(f"manylinux_2_{minor}_{arch}" for minor in range(17, 29)))


PLATFORMS: dict[str, tuple[str, ...]] = {
    "win_amd64": ("win_amd64",),
    "linux_x86_64": _manylinux("x86_64"),
    "linux_aarch64": _manylinux("aarch64"),
}
"""What the bundle promises, by name, with the wheel platform tags each accepts."""

# What the user runs is rewritten for the system that reads it: cmd.exe reads a .bat file in the console
# code page (936, GBK, on Chinese Windows) and wants CRLF; old Notepad wants a BOM to take a file as UTF-8.
TEXTS = {"install.bat": ("gbk", False), "install.sh": ("utf-8", False), "安装说明.txt": ("utf-8", True)}
EXECUTABLE = frozenset({"install.sh"})
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class BundleError(Exception):
    """A step failed in a way the developer can fix; reported as one line."""


def project_version(root: Path = ROOT) -> str:
    """The version in pyproject.toml."""
    with (root / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def _pip(args: Sequence[str], what: str) -> None:
    """Run pip quietly; on failure raise its first error line."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("ERROR:")] or lines or ["pip 没有给出原因"]
        raise BundleError(f"{what}失败（无法访问 PyPI？）：{errors[0]}")


def build_wheel(root: Path, dest: Path) -> Path:
    """Build dangjian's own wheel into ``dest`` and check that it carries the default theme."""
    _pip(["wheel", "--quiet", "--no-deps", "--wheel-dir", str(dest), str(root)], "生成 dangjian 的 wheel ")
    wheels = sorted(dest.glob("dangjian-*.whl"))
    if len(wheels) != 1:
        raise BundleError(f"生成 dangjian 的 wheel 失败：{dest} 中有 {len(wheels)} 个 dangjian wheel")
    with zipfile.ZipFile(wheels[0]) as wheel:
        if "generator/themes/default/templates/base.html" not in wheel.namelist():
            raise BundleError(f"{wheels[0].name} 中没有默认主题 generator/themes/default")
    return wheels[0]


def download(wheel: Path, wheels: Path, python: str, platform: str) -> None:
    """Download into ``wheels`` the dependencies of ``wheel`` for one Python version and platform."""
    tags = [f"--platform={tag}" for tag in PLATFORMS[platform]]
    _pip(["download", "--quiet", "--only-binary=:all:", "--implementation=cp", f"--python-version={python}",
          *tags, "--dest", str(wheels), str(wheel)], f"下载 Python {python} {platform} 的依赖")


def write_zip(stage: Path, target: Path) -> None:
    """Zip ``stage`` into ``target`` the same way every time: sorted names, fixed times and modes."""
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(stage.rglob("*"), key=lambda p: p.relative_to(stage).as_posix()):
            if not path.is_file():
                continue
            info = zipfile.ZipInfo(path.relative_to(stage).as_posix(), ZIP_TIME)
            info.create_system = 3  # Unix, so that unzip keeps the modes below
            info.external_attr = (0o100755 if path.name in EXECUTABLE else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, path.read_bytes())
    partial.replace(target)


def write_texts(source: Path, stage: Path) -> None:
    """Copy the install scripts and the guide, each in the encoding and line ends its reader wants."""
    for name, (encoding, bom) in TEXTS.items():
        text = (source / name).read_text(encoding="utf-8").replace("\r\n", "\n")
        if encoding != "utf-8" or bom:
            text = text.replace("\n", "\r\n")
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError as error:
            bad = error.object[error.start:error.end]
            raise BundleError(f"{source / name} 中有 {encoding} 无法表示的字符：{bad!r}") from None
        (stage / name).write_bytes(b"\xef\xbb\xbf" + data if bom else data)


def make_bundle(out: Path, root: Path = ROOT) -> Path:
    """Build the wheels, write the texts and zip them into ``out``; return the zip's path."""
    target = out / f"dangjian-{project_version(root)}-offline.zip"
    with tempfile.TemporaryDirectory(prefix="dangjian-bundle-") as temp:
        stage, wheels = Path(temp) / "stage", Path(temp) / "stage" / "wheels"
        wheels.mkdir(parents=True)
        wheel = build_wheel(root, Path(temp) / "own")
        for python in PYTHONS:
            for platform in PLATFORMS:
                print(f"下载 Python {python} {platform} 的依赖……", file=sys.stderr, flush=True)
                download(wheel, wheels, python, platform)
        write_texts(HERE, stage)
        out.mkdir(parents=True, exist_ok=True)
        write_zip(stage, target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: make the bundle, print its path; one line and exit 1 on failure."""
    parser = argparse.ArgumentParser(description="制作离线安装包 dist/dangjian-<版本>-offline.zip")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="输出文件夹，默认为仓库下的 dist/")
    args = parser.parse_args(argv)
    try:
        target = make_bundle(args.out)
    except (BundleError, OSError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    print(f"{target}（{target.stat().st_size / 1e6:.1f} MB）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
