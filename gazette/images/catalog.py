"""The image stage of a build: find every image the pages show, measure it, make the variants
the cache lacks (in worker processes), and answer each page with its `Pictures`.

An image is read again only when its file's size or modification time changed; a variant is
encoded only when no file of its name (which holds the image's digest) is in the cache folder,
so a build after an edit, or after nothing, encodes nothing. Variants no page uses any more are
deleted from the cache, and, being absent from the output plan, from the output."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gazette.build.cache import BuildCache
from gazette.build.links import site_path
from gazette.build.parallel import run_sharded
from gazette.build.progress import ProgressBar
from gazette.errors import GazetteError, Problem
from gazette.images.encode import BadImage, file_name, read_source, write_variants
from gazette.images.variants import ENCODER, ImageSource, ResponsiveImage, plan_variants

CACHE_FOLDER = "images"  # beside the cache database: the variants, by file name
STATE_KEY = "images"  # the build cache's record of what each image was when last read
# Encoding takes 0.1 to 1 s an image: a worker is worth forking for a few.
IMAGES_PER_WORKER = 4


@dataclass(frozen=True)
class ImageUse:
    """An image a document shows: its path under static/, and the document."""

    name: str
    document: Path


@dataclass(frozen=True)
class Pictures:
    """The images one page shows: its lead image and those of its body, by name."""

    lead: ResponsiveImage | None = None
    body: tuple[tuple[str, ResponsiveImage], ...] = ()

    def by_name(self) -> dict[str, ResponsiveImage]:
        return dict(self.body)

    def images(self) -> list[ResponsiveImage]:
        """Its lead image, if any, then its body's."""
        return [*([self.lead] if self.lead else []), *(image for _, image in self.body)]

    def identity(self) -> list[str]:
        """For the page's fingerprint: a changed image re-renders the pages that show it."""
        parts = self.lead.identity() if self.lead else ["-"]
        for _name, image in self.body:
            parts += image.identity()
        return parts


@dataclass(frozen=True)
class ImageCatalog:
    pictures: dict[str, ResponsiveImage]  # by name under static/
    folder: Path  # where the variants are kept

    def pictures_of(self, lead: str | None, body: Iterable[str]) -> Pictures:
        found = [(name, self.pictures[name]) for name in body if name in self.pictures]
        return Pictures(self.pictures.get(lead) if lead else None, tuple(found))

    def variant_files(self) -> dict[str, Path]:
        """Every variant of the output, by its name there, with its file in the cache."""
        return {variant.name: self.folder / file_name(variant)
                for image in self.pictures.values() for variant in image.variants}


def image_uses(entries: Iterable, static_files: dict[str, Path]) -> tuple[list[ImageUse], list[Problem]]:
    """The images that articles and plain pages (`entries`, each with its `document` and
    rendered `body`) show from static/, and a located problem for each body image that is not
    there (a missing lead `image:` is found when the article is checked)."""
    uses: list[ImageUse] = []
    missing: list[Problem] = []
    for entry in entries:
        document = entry.document
        lead = getattr(document, "image", None)
        if lead in static_files:
            uses.append(ImageUse(lead, document.source_path))
        for name in entry.body.images:
            if name in static_files:
                uses.append(ImageUse(name, document.source_path))
            else:
                lines = {site_path(url): line for url, line in entry.body.links}
                line = lines.get(name)  # in the body, which starts at the document's body_line
                missing.append(Problem(document.source_path, f"the image /{name} is not in static/",
                                       document.body_line + line - 1 if line else None))
    return uses, missing


def prepare_images(uses: list[ImageUse], static_files: dict[str, Path], cache: BuildCache, folder: Path,
                   jobs: int = 1, progress: ProgressBar | None = None, every_use: bool = True) -> ImageCatalog:
    """Measure every used image (each in `static_files`) and make its missing variants in
    `folder`; raise one GazetteError for every image that is unreadable or too large.
    `every_use`: `uses` are all the site's (a plan of the whole site), so the variants no page
    uses are deleted from `folder`. Else (the few of a build in place) the cache keeps what it
    knows of the others, and their variants."""
    problems: list[Problem] = []
    first_use: dict[str, ImageUse] = {}
    for use in uses:
        first_use.setdefault(use.name, use)
    names = sorted(first_use)
    known = _known_images(cache.state_object(STATE_KEY))
    cached = _listing(folder)  # one listing, not a look-up for each variant of each image
    measured: dict[str, ImageSource] = {}
    stamps: dict[str, tuple] = {}
    todo: list[tuple[str, Path]] = []
    for name in names:
        path = static_files[name]
        try:
            stat = path.stat()
        except OSError as exc:
            problems.append(Problem(path, f"cannot be read: {exc.strerror or exc}"))
            continue
        stamps[name] = (str(path), stat.st_size, stat.st_mtime_ns)
        stamp, source = known.get(name, (None, None))
        if stamp != stamps[name]:
            source = None  # changed since the last build: read it again
        if source is not None and all(file_name(v) in cached for v in plan_variants(source)):
            measured[name] = source
        else:
            todo.append((name, path))

    def encode_shard(items: list[tuple[str, Path]], tick) -> tuple[dict[str, ImageSource], list[Problem]]:
        done, failed = {}, []
        for name, path in items:
            try:
                source, data = read_source(path, name)
                write_variants(data, plan_variants(source), folder)
                done[name] = source
            except BadImage as exc:
                use = first_use[name]
                failed.append(Problem(path, f"{exc} (the image of {use.document})"))
            except OSError as exc:  # the cache folder: full, or not writable
                failed.append(Problem(folder, f"cannot hold image variants: {exc.strerror or exc}"))
            tick()
        return done, failed

    if todo:
        if progress:
            progress.start("resizing images", len(todo))
        for done, failed in run_sharded(todo, encode_shard, jobs, progress.update if progress else None, IMAGES_PER_WORKER):
            measured.update(done)
            problems += failed
    if problems:
        raise GazetteError(problems)
    pictures = {name: ResponsiveImage(source, plan_variants(source)) for name, source in measured.items()}
    catalog = ImageCatalog(pictures, folder)
    if every_use:
        _forget_unused(folder, _listing(folder) if todo else cached, {path.name for path in catalog.variant_files().values()})
    state = {**({} if every_use else known), **{name: (stamps[name], source) for name, source in measured.items()}}
    if state != known:  # most builds change no image: they write nothing here
        cache.store_state_object(STATE_KEY, {"encoder": ENCODER, "images": state})
    return catalog


@dataclass(frozen=True)
class AddedPictures:
    """The pictures of the articles a build in place adds (see gazette.build.in_place): each
    one's page's, by route, and the variants they show, by name in the output, with their
    files in the cache."""

    pages: dict[str, Pictures]
    variants: dict[str, Path]


def added_pictures(entries: Sequence, static_files: Callable[[], dict[str, Path]], cache: BuildCache, folder: Path,
                   jobs: int = 1) -> AddedPictures | None:
    """The pictures of the articles `entries` that show any, made as a plan of the whole site
    makes them (`prepare_images`, which keeps what the cache knows of the site's other images);
    None where one is not among the pictures of static/ (`static_files()`, asked only then) or
    does not read (a plan of the whole site reports it)."""
    entries = [entry for entry in entries if entry.article.image or entry.body.images]
    if not entries:
        return AddedPictures({}, {})
    static_files = static_files()
    uses, missing = image_uses(entries, static_files)
    if missing or any(entry.article.image and entry.article.image not in static_files for entry in entries):
        return None
    try:
        catalog = prepare_images(uses, static_files, cache, folder, jobs, every_use=False)
    except GazetteError:
        return None
    return AddedPictures({entry.article.route: catalog.pictures_of(entry.article.image, entry.body.images)
                          for entry in entries}, catalog.variant_files())


def _known_images(state: object) -> dict[str, tuple]:
    """name -> ((path, size, mtime), ImageSource) as the last build read them, if made by this encoder."""
    return state["images"] if isinstance(state, dict) and state.get("encoder") == ENCODER else {}


def _listing(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except OSError:  # no folder yet
        return set()


def _forget_unused(folder: Path, present: set[str], keep: set[str]) -> None:
    """Delete the cached variants no page shows any more (and temporary files a killed
    build left)."""
    for name in present - keep:
        try:
            os.unlink(folder / name)
        except OSError:
            pass
