#!/bin/sh
# dangjian 离线安装（Linux，含 ARM 的麒麟、统信）：sh install.sh
# It needs no network: a venv beside this script, wheels from ./wheels, a launcher in ~/.local/bin.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

py=""
for name in python3.13 python3.12 python3.11 python3; do
  if command -v "$name" >/dev/null 2>&1 &&
     "$name" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
    py=$(command -v "$name")
    break
  fi
done
if [ -z "$py" ]; then
  echo "没有找到 Python 3.11、3.12 或 3.13。请先从本单位的软件中心安装其中一个版本，再运行本脚本。" >&2
  exit 1
fi

echo "使用 $py（$("$py" --version 2>&1)），正在安装 dangjian，请稍候……"
if ! "$py" -m venv "$here/venv"; then
  echo "无法创建虚拟环境。请从软件中心再安装 python3-venv（或与 Python 版本对应的 venv 软件包）后重试。" >&2
  exit 1
fi
# --no-index: an intranet PC has no package index; everything needed is in wheels/.
if ! "$here/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
     --no-index --find-links "$here/wheels" --upgrade dangjian; then
  echo "安装失败。请把上面的提示发给技术人员。" >&2
  exit 1
fi

bin="$HOME/.local/bin"
mkdir -p "$bin"
ln -sf "$here/venv/bin/dangjian" "$bin/dangjian"
echo "安装完成：$bin/dangjian"
case ":$PATH:" in
  *":$bin:"*)
    echo "现在可以在任何文件夹中运行：dangjian init 我的站点" ;;
  *)
    echo "$bin 还不在 PATH 中。请把下面这一行加到 ~/.bashrc 的末尾，然后打开一个新的终端："
    echo "export PATH=\"\$HOME/.local/bin:\$PATH\""
    echo "之后就可以在任何文件夹中运行：dangjian init 我的站点" ;;
esac
