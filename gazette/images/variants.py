"""Which variants an image gets, and their names: pure functions of the image's size, format
and digest, so a build knows every output file before anything is encoded."""

from __future__ import annotations

from dataclasses import dataclass

WIDTHS = (480, 800, 1200, 1600)  # CSS px of a phone at 1x to a wide column at 2x
OPEN_GRAPH_WIDTH = 1200  # what Facebook, LinkedIn and Mastodon previews ask for
# Change when the encoder's settings change: variants are cached under it.
ENCODER = "v1 jpeg-q80-progressive png-optimize webp-q78-m4 lanczos strip-metadata"
# Formats made into variants, with the file extension and type; WebP is made beside the others.
RESIZABLE = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
WEBP = RESIZABLE["WEBP"]


@dataclass(frozen=True)
class ImageSource:
    """An image of static/ as read: its path there ("images/lead.jpg"), a digest of its bytes,
    its size (after the camera's rotation is applied) and format (Pillow's name, or "SVG")."""

    name: str
    digest: str
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class Variant:
    name: str  # in the output: "images/lead.3fa9c1e2b7.800.webp"
    width: int
    height: int
    mime: str


def variant_widths(width: int) -> tuple[int, ...]:
    """The widths made of an image `width` px wide: those of WIDTHS below it, and the image's
    own width when it is no wider than the largest, so no variant is ever enlarged."""
    widths = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return tuple(widths)


def plan_variants(source: ImageSource) -> tuple[Variant, ...]:
    """Every variant of `source`, in its own format then in WebP, narrowest first; none for a
    format that is not resized (SVG scales by itself; a GIF may be animated)."""
    if source.format not in RESIZABLE:
        return ()
    stem = source.name.rsplit(".", 1)[0]
    formats = dict.fromkeys([RESIZABLE[source.format], WEBP])
    variants = []
    for extension, mime in formats:
        for width in variant_widths(source.width):
            height = max(1, round(source.height * width / source.width))
            variants.append(Variant(f"{stem}.{source.digest[:10]}.{width}.{extension}", width, height, mime))
    return tuple(variants)


@dataclass(frozen=True)
class ResponsiveImage:
    """An image with its variants (none for SVG and GIF, which are shown as they are)."""

    source: ImageSource
    variants: tuple[Variant, ...]

    @property
    def mime(self) -> str:
        return RESIZABLE.get(self.source.format, ("", ""))[1]

    def candidates(self, mime: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.mime == mime)

    @property
    def alternative_types(self) -> tuple[str, ...]:
        """Types offered before the image's own (WebP for a JPEG), as `<source>` elements."""
        return tuple(dict.fromkeys(v.mime for v in self.variants if v.mime != self.mime))

    @property
    def fallback(self) -> Variant | None:
        """The `src` for browsers that ignore `srcset`: the widest variant up to 800 px."""
        own = self.candidates(self.mime)
        if not own:
            return None
        fitting = [v for v in own if v.width <= 800]
        return fitting[-1] if fitting else own[0]

    @property
    def width(self) -> int:
        """The width and height written on the `<img>`: its largest variant's (their ratio is
        what keeps the layout from jumping; CSS scales it)."""
        own = self.candidates(self.mime)
        return own[-1].width if own else self.source.width

    @property
    def height(self) -> int:
        own = self.candidates(self.mime)
        return own[-1].height if own else self.source.height

    @property
    def open_graph(self) -> tuple[str, int, int]:
        """(path, width, height) of the preview image for social sites: the 1200 px variant in
        the image's own format (not every site reads WebP), else its widest, else itself."""
        own = self.candidates(self.mime)
        chosen = next((v for v in own if v.width == OPEN_GRAPH_WIDTH), own[-1] if own else None)
        if chosen is None:
            return self.source.name, self.source.width, self.source.height
        return chosen.name, chosen.width, chosen.height

    def identity(self) -> list[str]:
        return [self.source.name, self.source.digest, ENCODER]
