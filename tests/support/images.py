"""Images made for tests with Pillow: photos of a given size (with a pattern, so that their
variants are real JPEGs), and files that are not what they claim to be."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path


def photo(path: Path, width: int = 4000, height: int = 3000, *, quality: int = 90, exif: bytes | None = None,
          seed: int = 1, fmt: str = "JPEG") -> Path:
    """A picture with stripes and shapes (a flat one would compress to nothing)."""
    import random

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    step = max(1, height // 150)
    for y in range(0, height, step):
        draw.rectangle([0, y, width, y + step], fill=(y * 7 % 256, (y * 3 + seed * 40) % 256, 120))
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height)
        size = rng.randrange(1, max(2, width // 8))
        draw.ellipse([x, y, x + size, y + size], fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"quality": quality} if fmt == "JPEG" else {}
    if exif is not None:
        options["exif"] = exif
    image.save(path, fmt, **options)
    return path


def rotated_exif() -> bytes:
    """EXIF saying the camera was turned a quarter (orientation 6), and where the photo was taken."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "TestCam"  # the camera's maker: metadata a variant must not carry
    return exif.tobytes()


def png_claiming_size(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels with almost no data behind it: a
    decompression bomb as far as a decoder that trusts the header is concerned."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(path.read_bytes())) as image:
        return image.size
