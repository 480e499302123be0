"""Which variants an image gets and how they are named: pure functions of its size and digest."""

from gazette.images.variants import WIDTHS, ImageSource, ResponsiveImage, plan_variants, variant_widths


def source(width, height, fmt="JPEG", name="images/lead.jpg"):
    return ImageSource(name, "0123456789abcdef", width, height, fmt)


def test_no_variant_is_wider_than_the_original():
    assert variant_widths(4000) == WIDTHS
    assert variant_widths(1000) == (480, 800, 1000)
    assert variant_widths(300) == (300,)
    for width in (1, 479, 480, 481, 1600, 1601, 5000):
        assert max(variant_widths(width)) <= width


def test_browsers_get_webp_at_every_width_and_the_images_own_format_only_where_webp_is_not_read():
    variants = plan_variants(source(4000, 3000))
    assert [(v.width, v.mime) for v in variants] == [
        (800, "image/jpeg"), (1200, "image/jpeg"),  # the fallback and the Open Graph image
        (480, "image/webp"), (800, "image/webp"), (1200, "image/webp"), (1600, "image/webp")]
    assert variants[0].name == "images/lead.0123456789.800.jpg" and variants[2].name == "images/lead.0123456789.480.webp"
    assert all(v.height == round(3000 * v.width / 4000) for v in variants)
    assert [v.name for v in plan_variants(source(700, 600, "PNG", "images/chart.png"))] == [
        "images/chart.0123456789.700.png", "images/chart.0123456789.480.webp", "images/chart.0123456789.700.webp"]
    assert {v.mime for v in plan_variants(source(2000, 1000, "WEBP", "images/x.webp"))} == {"image/webp"}


def test_svg_and_gif_are_shown_as_they_are():
    assert plan_variants(source(100, 50, "SVG", "images/logo.svg")) == ()
    assert plan_variants(source(100, 50, "GIF", "images/anim.gif")) == ()
    image = ResponsiveImage(source(100, 50, "GIF", "images/anim.gif"), ())
    assert image.fallback is None and (image.width, image.height) == (100, 50)
    assert image.open_graph == ("images/anim.gif", 100, 50)


def test_the_fallback_the_size_on_the_page_and_the_open_graph_image():
    image = ResponsiveImage(source(4000, 3000), plan_variants(source(4000, 3000)))
    assert image.fallback.name == "images/lead.0123456789.800.jpg"
    assert (image.width, image.height) == (1600, 1200)  # the ratio is what matters
    assert [v.width for v in image.srcset] == list(WIDTHS)
    assert image.open_graph == ("images/lead.0123456789.1200.jpg", 1200, 900)
    small = ResponsiveImage(source(640, 480), plan_variants(source(640, 480)))
    assert small.open_graph == ("images/lead.0123456789.640.jpg", 640, 480) and small.fallback.width == 640
