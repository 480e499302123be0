"""What a new user does: build Gazette's wheel, install it into a fresh virtual environment,
and in an empty folder run `gazette init`, `gazette build` and `gazette check`; the site must
pass the Nu validator as the shipped one does. The wheel carries the theme (no checkout needed)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from support import REPO
from support.browser import BuiltSite
from support.validator import validation_errors

pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtual environment with the wheel (and its dependencies) installed."""
    work = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(REPO)], cwd=work)
    [wheel] = (work / "dist").glob("gazette_ssg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "gazette/theme/templates/article.html" in names and "gazette/theme/static/css/site.css" in names
    assert "gazette/starter/files/github/workflows/pages.yml" in names
    venv.create(work / "env", with_pip=True)
    bin_dir = work / "env" / "bin"
    run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=work)
    return bin_dir


def test_a_new_user_starts_builds_and_checks_an_archive_from_the_wheel(installed, tmp_path):
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    env = {**os.environ, "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    gazette = str(installed / "gazette")
    run([gazette, "init", "hello", "--title", "Hello News", "--base-url", "https://example.org/hello/"], cwd=empty, env=env)
    site = empty / "hello"
    built = run([gazette, "build"], cwd=site, env=env)
    assert "built 1 articles" in built.stdout, built.stdout + built.stderr
    run([gazette, "check"], cwd=site, env=env)
    # The installed package, not this checkout, made it: its templates are in site-packages.
    where = run([str(installed / "python"), "-c", "import gazette.theme as t; print(t.theme_folder('templates'))"],
                cwd=empty, env=env).stdout.strip()
    assert "site-packages" in where and not Path(where).is_relative_to(REPO)
    errors = validation_errors(BuiltSite(site / "public", False))
    assert not errors, "\n".join(errors[:20])
