"""Images through the build: every picture a page shows is made into variants once, shown as a
`<picture>` with sizes, and its variants leave the output with the last page that used them.
Bad images stop the build with the file named, never a traceback."""

import os
import re
import subprocess
import sys
from datetime import datetime, timezone

from support import REPO
from support.images import image_size, photo, png_claiming_size
from support.site import SiteDir, article

from gazette.build.pipeline import BuildOptions, build
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
LEAD = "image: images/lead.jpg\nimage_alt: Stripes and circles on a test card\nimage_caption: A test card."


def build_site(site: SiteDir):
    return build(BuildOptions(Project.at(site.root), now=NOW, jobs=1))


def run_build(site: SiteDir):
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=site.root,
                          capture_output=True, text=True, timeout=120)


def variants_in(folder) -> set[str]:
    return {p.name for p in folder.glob("*.*.*") if re.search(r"\.[0-9a-f]{10}\.\d+\.\w+$", p.name)}


def test_a_large_lead_photo_is_served_in_sizes_a_phone_can_afford(tmp_path):
    site = SiteDir(tmp_path / "site")
    photo(site.root / "static" / "images" / "lead.jpg", 4000, 3000)
    site.add("2021/story.md", article("Story", body="Intro.\n\n![A chart of the week](/images/chart.png)", **dict(
        line.split(": ", 1) for line in LEAD.splitlines())))
    photo(site.root / "static" / "images" / "chart.png", 600, 400, fmt="PNG")
    report = build_site(site)
    assert not [w for w in report.warnings if "image_alt" in w.message]
    page = site.page("2021/03/story/")
    images = site.public / "images"
    made = variants_in(images)
    assert {n.split(".", 2)[2] for n in made if n.startswith("lead.")} == {
        "480.webp", "800.webp", "1200.webp", "1600.webp", "800.jpg", "1200.jpg"}
    for name in made:  # never wider than the original, and really that wide
        width = int(name.rsplit(".", 2)[1])
        assert image_size(images / name)[0] == width <= (4000 if name.startswith("lead.") else 600)
    lead = re.search(r'<figure class="story-figure">\s*(<picture>.*?</picture>)', page, re.S).group(1)
    assert re.search(r'^<picture><source type="image/webp" srcset="/images/lead\.[0-9a-f]{10}\.480\.webp 480w, [^"]+ 1600w" '
                     r'sizes="\(min-width: 43rem\) 40rem, calc\(100vw - 2\.5rem\)"><img src="/images/lead\.[0-9a-f]{10}\.800\.jpg"', lead)
    assert 'alt="Stripes and circles on a test card" width="1600" height="1200" fetchpriority="high">' in lead
    assert "loading=" not in lead
    body_picture = re.search(r'<div class="story-body">.*?(<picture>.*?</picture>)', page, re.S).group(1)
    assert re.search(r'<img src="/images/chart\.[0-9a-f]{10}\.600\.png" alt="A chart of the week" width="600" height="400" '
                     r'loading="lazy" decoding="async">', body_picture)
    og = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert re.fullmatch(r"https://example\.org/images/lead\.[0-9a-f]{10}\.1200\.jpg", og)
    assert '<meta property="og:image:width" content="1200">' in page


def test_a_second_build_encodes_nothing_and_a_changed_image_replaces_its_variants(tmp_path):
    site = SiteDir(tmp_path / "site")
    lead = photo(site.root / "static" / "images" / "lead.jpg", 1000, 750)
    site.add("2021/story.md", article("Story", image="images/lead.jpg", image_alt="A card"))
    site.add("2021/other.md", article("Other", "2021-03-05", body="Words."))
    build_site(site)
    cached = site.root / ".cache" / "images"
    before = {p.name: p.stat().st_mtime_ns for p in cached.iterdir()}
    assert len(before) == 5  # WebP 480, 800 and 1000 wide; JPEG 800 and 1000 (fallback, Open Graph)
    site.add("2021/other.md", article("Other", "2021-03-05", body="Other words."))
    report = build_site(site)
    assert {p.name: p.stat().st_mtime_ns for p in cached.iterdir()} == before, "nothing is encoded again"
    assert not any(name.startswith("images/") for name in report.changed)

    photo(lead, 1000, 750, seed=2)  # the same name, other bytes
    os.utime(lead, ns=(1, 1))
    report = build_site(site)
    after = variants_in(site.public / "images")
    assert len(after) == 5 and not after & set(before), "the new variants replace the old, in the output"
    assert set(p.name for p in cached.iterdir()) == after, "and in the cache"
    assert "2021/03/story/index.html" in report.changed


def test_variants_leave_the_output_with_the_last_page_that_showed_them(tmp_path):
    site = SiteDir(tmp_path / "site")
    photo(site.root / "static" / "images" / "lead.jpg", 900, 600)
    first = site.add("2021/one.md", article("One", image="images/lead.jpg", image_alt="A card"))
    second = site.add("2021/two.md", article("Two", "2021-03-05", body="![A card](/images/lead.jpg)"))
    build_site(site)
    assert len(variants_in(site.public / "images")) == 5
    first.unlink()
    build_site(site)
    assert len(variants_in(site.public / "images")) == 5
    second.unlink()
    build_site(site)
    assert variants_in(site.public / "images") == set()
    assert (site.public / "images" / "lead.jpg").is_file(), "static/ itself is still copied as it is"


def test_without_image_alt_the_caption_is_the_alt_text_with_one_warning(tmp_path):
    site = SiteDir(tmp_path / "site")
    photo(site.root / "static" / "images" / "lead.jpg", 500, 300)
    site.add("2021/story.md", article("Story", image="images/lead.jpg", image_caption="Workers at the plant."))
    report = build_site(site)
    warnings = [w for w in report.warnings if "image_alt" in w.message]
    assert len(warnings) == 1 and warnings[0].line == 5 and str(warnings[0].path).endswith("story.md")
    assert 'alt="Workers at the plant." width="500" height="300"' in site.page("2021/03/story/")


def test_an_svg_or_gif_is_shown_as_it_is_with_its_size(tmp_path):
    site = SiteDir(tmp_path / "site")
    (site.root / "static" / "images").mkdir()
    (site.root / "static" / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40"/></svg>')
    photo(site.root / "static" / "images" / "anim.gif", 64, 48, fmt="GIF")
    site.add("2021/story.md", article("Story", image="images/logo.svg", image_alt="The logo",
                                      body="![An animation](/images/anim.gif)"))
    build_site(site)
    page = site.page("2021/03/story/")
    assert '<img src="/images/logo.svg" alt="The logo" width="120" height="40" fetchpriority="high"' in page
    assert '<img src="/images/anim.gif" alt="An animation" width="64" height="48" loading="lazy"' in page
    assert variants_in(site.public / "images") == set()


def test_a_missing_body_image_is_an_error_at_its_line(tmp_path):
    site = SiteDir(tmp_path / "site")
    site.add("2021/story.md", article("Story", body="Intro.\n\nMore.\n\n![A chart](/images/nowhere.png)"))
    result = run_build(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/2021/story.md:10: the image /images/nowhere.png is not in static/" in result.stderr


def test_corrupt_truncated_and_oversized_images_name_the_file_and_write_nothing(tmp_path):
    site = SiteDir(tmp_path / "site")
    images = site.root / "static" / "images"
    images.mkdir()
    (images / "text.jpg").write_bytes(b"this is a text file\n")
    (images / "bomb.png").write_bytes(png_claiming_size(30_000, 30_000))
    cut = photo(images / "cut.jpg", 1200, 900)
    cut.write_bytes(cut.read_bytes()[:5000])
    site.add("2021/a.md", article("A", image="images/text.jpg", image_alt="x"))
    site.add("2021/b.md", article("B", "2021-03-05", body="![x](/images/bomb.png)"))
    site.add("2021/c.md", article("C", "2021-03-06", body="![x](/images/cut.jpg)"))
    result = run_build(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(r"static/images/text\.jpg: is not an image Gazette can read .*content/2021/a\.md", result.stderr)
    assert "static/images/bomb.png: is larger, more than the 60 megapixels Gazette decodes" in result.stderr
    assert "static/images/cut.jpg: cannot be decoded" in result.stderr
    assert not site.public.exists()


def test_preparing_the_images_of_a_few_pages_keeps_the_others_variants_and_state(tmp_path):
    from gazette.build.cache import BuildCache
    from gazette.images.catalog import STATE_KEY, ImageUse, prepare_images

    static = tmp_path / "static"
    files = {name: photo(static / name, 900, 600, seed=seed) for seed, name in enumerate(("a.jpg", "b.jpg"), 1)}
    folder = tmp_path / "variants"
    cache = BuildCache(tmp_path / "cache.sqlite")
    try:
        whole = prepare_images([ImageUse(name, tmp_path / "story.md") for name in files], files, cache, folder)
        every = set(p.name for p in folder.iterdir())
        assert len(every) == 10 and set(cache.state_object(STATE_KEY)["images"]) == {"a.jpg", "b.jpg"}
        # A build in place adds a story showing b.jpg alone: a's variants and state stay.
        part = prepare_images([ImageUse("b.jpg", tmp_path / "new.md")], files, cache, folder, every_use=False)
        assert part.pictures["b.jpg"] == whole.pictures["b.jpg"] and "a.jpg" not in part.pictures
        assert set(p.name for p in folder.iterdir()) == every
        assert set(cache.state_object(STATE_KEY)["images"]) == {"a.jpg", "b.jpg"}
        # A plan of the whole site with b.jpg alone forgets a.jpg.
        prepare_images([ImageUse("b.jpg", tmp_path / "new.md")], files, cache, folder)
        assert len(set(p.name for p in folder.iterdir())) == 5
        assert set(cache.state_object(STATE_KEY)["images"]) == {"b.jpg"}
    finally:
        cache.close()
