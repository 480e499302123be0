"""Build a small fixture site and diff it, file by file, against tests/golden/.

After an intended change to the output, regenerate with:
    python -m pytest tests/build/test_golden.py --regen-golden
and review the diff of tests/golden/ before committing it.
"""

import difflib
import hashlib
import io
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

from support import TESTS

from gazette.build.pipeline import BuildOptions, build
from gazette.project import Project

HERE = TESTS
FIXTURE = HERE / "fixtures" / "site"
GOLDEN = HERE / "golden" / "site"
REPO = HERE.parent


STATIC_HASHES = "static-files.sha256"
IMAGE_VARIANTS = "image-variants.txt"
VARIANT = re.compile(r"\.[0-9a-f]{10}\.\d+\.(jpg|png|webp)$")


def tree(root: Path) -> dict[str, bytes]:
    # Pagefind's search index is not byte-reproducible between runs; tests/search/ covers it.
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != "pagefind"
    }


def golden_view(public: Path, static: Path) -> dict[str, bytes]:
    """The built files as the golden site keeps them: files copied verbatim from static/
    (the stylesheet, the scripts) by their hashes only, so a change to the CSS is not a
    second copy to review; the images' variants by their format and size in pixels, which
    are the build's to decide (their bytes are the encoder's, and differ between versions
    of Pillow)."""
    files = tree(public)
    copied = {name: files.pop(name) for name in list(files) if (static / name).is_file()}
    files[STATIC_HASHES] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(copied.items())).encode()
    variants = {name: files.pop(name) for name in list(files) if VARIANT.search(name)}
    files[IMAGE_VARIANTS] = "".join(f"{name}  {describe_image(data)}\n" for name, data in sorted(variants.items())).encode()
    return files


def describe_image(data: bytes) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return f"{image.format} {image.width}x{image.height}"


def build_fixture(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    shutil.copytree(REPO / "templates", project / "templates")
    shutil.copytree(REPO / "static", project / "static", dirs_exist_ok=True)
    # A pinned clock: the fixture's article dated 2030 stays scheduled whenever the test runs.
    build(BuildOptions(Project.at(project), now=datetime(2026, 6, 1, tzinfo=timezone.utc)))
    return project


def test_fixture_site_matches_golden_output(tmp_path, request):
    project = build_fixture(tmp_path)
    built = golden_view(project / "public", project / "static")
    if request.config.getoption("--regen-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    expected = tree(GOLDEN)
    assert sorted(built) == sorted(expected), "the set of built files changed (regenerate with --regen-golden)"
    for name in expected:
        if built[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(), built[name].decode().splitlines(),
                f"golden/{name}", f"built/{name}", lineterm="", n=2,
            )
            raise AssertionError("\n".join(list(diff)[:60]) + "\n(regenerate with --regen-golden if intended)")
