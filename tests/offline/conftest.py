"""The offline bundle, built once per test session from PyPI (pip's cache makes reruns quick)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
UNREACHABLE_INDEX = "http://127.0.0.1:9/simple"


def offline_env(**extra: str) -> dict[str, str]:
    """The environment less every pip setting, with no package index reachable."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PIP_") and key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    # A pip.conf (a mirror, find-links) would otherwise let an "offline" install reach packages.
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_INDEX_URL=UNREACHABLE_INDEX,
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def bundle_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``offline/bundle.py`` run as ``make dist`` runs it, into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, str(ROOT / "offline" / "bundle.py"), "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (target,) = out.glob("*.zip")
    return target


def unpack(bundle_zip: Path, folder: Path) -> Path:
    """Unpack the bundle into ``folder`` keeping the modes, as unzip does."""
    with zipfile.ZipFile(bundle_zip) as bundle:
        for info in bundle.infolist():
            Path(bundle.extract(info, folder)).chmod(info.external_attr >> 16 & 0o777)
    return folder


@pytest.fixture(scope="session")
def bundle_dir(bundle_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle unpacked once, for tests that only read it."""
    return unpack(bundle_zip, tmp_path_factory.mktemp("unpacked"))
