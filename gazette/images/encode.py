"""Reading images and writing their variants with Pillow. A file that is not an image, is cut
short, or would take too much memory to decode (a decompression bomb) is a `BadImage` naming
what is wrong, never a crash."""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from gazette.errors import GazetteError
from gazette.images.variants import ImageSource, Variant
from gazette.model.reading import read_input_file

MAX_BYTES = 64 * 1024 * 1024
# Decoding takes 3-4 bytes a pixel: 60 megapixels is 240 MB, above any camera's photo but a
# 200-megapixel phone mode's. Checked from the header, before a single pixel is decoded.
MAX_PIXELS = 60_000_000
_SVG_SIZE = re.compile(rb"<svg\b[^>]*>", re.S)
_SVG_LENGTH = r'\b%s\s*=\s*["\']\s*([0-9.]+)(?:px)?\s*["\']'


class BadImage(Exception):
    """An image that cannot be read or resized; the message says why."""


def read_source(path: Path, name: str) -> tuple[ImageSource, bytes]:
    """The image at `path` (static/`name`), measured, with its bytes."""
    try:
        data = read_input_file(path, MAX_BYTES, "image")
    except GazetteError as exc:  # not a regular file, or too large
        raise BadImage(exc.problems[0].message) from None
    except OSError as exc:
        raise BadImage(f"cannot be read: {exc.strerror or exc}") from None
    digest = hashlib.sha1(data).hexdigest()
    if name.lower().endswith(".svg"):
        width, height = svg_size(data)
        return ImageSource(name, digest, width, height, "SVG"), data
    with _opened(data) as image:
        width, height = image.size
        if _rotated(image):
            width, height = height, width
        return ImageSource(name, digest, width, height, image.format or "unknown"), data


def svg_size(data: bytes) -> tuple[int, int]:
    """The size an SVG declares (width and height, else its viewBox); 0x0 when it declares none."""
    root = _SVG_SIZE.search(data[:65536])
    if not root:
        raise BadImage("is not an SVG image (no <svg> element)")
    tag = root.group(0).decode("utf-8", "replace")
    width, height = (re.search(_SVG_LENGTH % name, tag) for name in ("width", "height"))
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.search(r'\bviewBox\s*=\s*["\']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)', tag)
    return (round(float(box.group(1))), round(float(box.group(2)))) if box else (0, 0)


@contextmanager
def _opened(data: bytes):
    """Pillow's image of some bytes, its size checked before anything is decoded. Pillow's own
    bomb warning becomes our error: its limit differs, and its message names no file."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadImage(_too_large("is larger")) from None
    except UnidentifiedImageError:
        raise BadImage("is not an image Gazette can read (JPEG, PNG, WebP, GIF or SVG)") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for broken files
        raise BadImage(f"cannot be read as an image: {exc}") from None
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise BadImage(_too_large(f"is {width}x{height} pixels"))
        if width < 1 or height < 1:
            raise BadImage("has no pixels")
        yield image


def _too_large(what: str) -> str:
    return f"{what}, more than the {MAX_PIXELS // 1_000_000} megapixels Gazette decodes; make it smaller"


def _rotated(image) -> bool:
    """Whether the camera's orientation tag turns the picture a quarter turn."""
    try:
        return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    except Exception:  # noqa: BLE001 - broken metadata is ignored, as browsers do
        return False


def write_variants(data: bytes, variants: tuple[Variant, ...], folder: Path) -> int:
    """Make each variant of the image `data` in `folder` (named after the variant's file name),
    skipping those already there. Each is written under a temporary name and renamed, so a
    killed build never leaves half a file in the cache. Returns how many were encoded."""
    todo = [v for v in variants if not (folder / file_name(v)).is_file()]
    if not todo:
        return 0
    from PIL import Image, ImageOps

    folder.mkdir(parents=True, exist_ok=True)
    with _opened(data) as image:
        largest = max(v.width for v in todo)
        if image.format == "JPEG":  # decode at a fraction of full size when that is enough: much faster
            image.draft("RGB", (largest, round(largest * image.height / image.width)))
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except Exception as exc:  # noqa: BLE001 - truncated or corrupt data
            raise BadImage(f"cannot be decoded: {exc}") from None
        icc = image.info.get("icc_profile")
        # Widest first; the narrower ones are resized from the widest made (a fraction of the
        # work of resizing each from a camera's full size, and no visible difference), unless
        # it is too close in size to resize again without softening.
        made: dict[tuple[int, int], object] = {upright.size: upright}
        widest = None
        for variant in sorted(todo, key=lambda v: -v.width):
            size = (variant.width, variant.height)
            if size not in made:
                base = widest if widest is not None and widest.width >= variant.width * 1.25 else upright
                made[size] = base.resize(size, Image.LANCZOS, reducing_gap=3.0)
                widest = widest or made[size]
            resized = made[size]
            target = folder / file_name(variant)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            _save(resized, temporary, variant.mime, icc)
            os.replace(temporary, target)
    return len(todo)


def file_name(variant: Variant) -> str:
    return variant.name.rsplit("/", 1)[-1]


def _save(image, path: Path, mime: str, icc: bytes | None) -> None:
    """Metadata is dropped (a camera's EXIF holds where the photo was taken); the colour
    profile is kept."""
    extra = {"icc_profile": icc} if icc else {}
    if mime == "image/jpeg":
        image.convert("RGB").save(path, "JPEG", quality=80, optimize=True, progressive=True, **extra)
    elif mime == "image/png":
        image.save(path, "PNG", optimize=True, **extra)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
        image.save(path, "WEBP", quality=78, method=4, **extra)
