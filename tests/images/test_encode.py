"""Reading images and writing their variants: metadata dropped, the camera's rotation applied,
and a clear `BadImage` for files that are broken, lie about their size or are too large."""

import pytest
from support.images import image_size, photo, png_claiming_size, rotated_exif

from gazette.images.encode import BadImage, read_source, write_variants
from gazette.images.variants import plan_variants


def test_variants_are_real_images_of_their_planned_size_without_camera_metadata(tmp_path):
    from PIL import Image

    path = photo(tmp_path / "lead.jpg", 1200, 900, exif=rotated_exif())
    source, data = read_source(path, "images/lead.jpg")
    assert (source.width, source.height, source.format) == (900, 1200, "JPEG")  # turned upright
    variants = plan_variants(source)
    assert write_variants(data, variants, tmp_path / "out") == len(variants)
    for variant in variants:
        made = tmp_path / "out" / variant.name.rsplit("/", 1)[-1]
        assert image_size(made) == (variant.width, variant.height)
        with Image.open(made) as image:
            assert image.format == ("WEBP" if variant.mime == "image/webp" else "JPEG")
            assert 0x010F not in image.getexif() and 0x0112 not in image.getexif()
    assert write_variants(data, variants, tmp_path / "out") == 0  # made once


@pytest.mark.parametrize("content, expected", [
    (b"not an image at all", "is not an image Gazette can read"),
    (png_claiming_size(9000, 8000), "is 9000x8000 pixels, more than the 60 megapixels Gazette decodes"),
    (png_claiming_size(20_000, 20_000), "is larger, more than the 60 megapixels Gazette decodes"),  # past Pillow's own limit
])
def test_broken_and_oversized_files_are_refused_with_a_reason(tmp_path, content, expected):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(BadImage, match=expected):
        read_source(path, "images/bad.png")


def test_a_truncated_photo_is_refused_when_decoded(tmp_path):
    path = photo(tmp_path / "cut.jpg", 1000, 800)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    source, cut = read_source(path, "images/cut.jpg")  # the header is intact
    with pytest.raises(BadImage, match="cannot be decoded"):
        write_variants(cut, plan_variants(source), tmp_path / "out")
    assert not any((tmp_path / "out").glob("*.jpg")), "no half-made variant is left"
