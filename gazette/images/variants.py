"""Which variants an image gets, and their names: pure functions of the image's size, format
and digest, so a build knows every output file before anything is encoded."""

from __future__ import annotations

from dataclasses import dataclass

WIDTHS = (480, 800, 1200, 1600)  # CSS px of a phone at 1x to a wide column at 2x, offered in WebP
FALLBACK_WIDTH = 800  # the image's own format, for the rare browser without WebP
OPEN_GRAPH_WIDTH = 1200  # what Facebook, LinkedIn and Mastodon previews ask for, in the image's own format
# Change when the encoder's settings change: variants are cached under it.
ENCODER = "v3 jpeg-q80-progressive png-optimize webp-q78-m4 lanczos strip-metadata"
# Formats made into variants, with the file extension and type.
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
    """Every variant of `source`: WebP at each of its widths (what browsers load), and the
    image's own format at the fallback and Open Graph widths only (WebP is read by every
    current browser, not by every site that previews links); none for a format that is not
    resized (SVG scales by itself; a GIF may be animated)."""
    if source.format not in RESIZABLE:
        return ()
    own = RESIZABLE[source.format]
    plan = [] if own == WEBP else [(own, width) for width in sorted(
        {min(FALLBACK_WIDTH, source.width), min(OPEN_GRAPH_WIDTH, source.width)})]
    plan += [(WEBP, width) for width in variant_widths(source.width)]
    stem = source.name.rsplit(".", 1)[0]
    return tuple(Variant(f"{stem}.{source.digest[:10]}.{width}.{extension}", width,
                         max(1, round(source.height * width / source.width)), mime)
                 for (extension, mime), width in plan)


@dataclass(frozen=True)
class ResponsiveImage:
    """An image with its variants (none for SVG and GIF, which are shown as they are)."""

    source: ImageSource
    variants: tuple[Variant, ...]

    @property
    def mime(self) -> str:
        return RESIZABLE.get(self.source.format, ("", ""))[1]

    @property
    def srcset(self) -> tuple[Variant, ...]:
        """What browsers choose from: the WebP variants, narrowest first."""
        return tuple(v for v in self.variants if v.mime == WEBP[1])

    def _own(self, width: int) -> Variant | None:
        return next((v for v in self.variants if v.mime == self.mime and v.width == min(width, self.source.width)), None)

    @property
    def fallback(self) -> Variant | None:
        """The `src`, for browsers that read no WebP: the image's own format, up to 800 px."""
        return self._own(FALLBACK_WIDTH)

    @property
    def width(self) -> int:
        """The width and height written on the `<img>`: its largest variant's (their ratio is
        what keeps the layout from jumping; CSS scales it)."""
        return self.srcset[-1].width if self.srcset else self.source.width

    @property
    def height(self) -> int:
        return self.srcset[-1].height if self.srcset else self.source.height

    @property
    def open_graph(self) -> tuple[str, int, int]:
        """(path, width, height) of the preview image for social sites: 1200 px wide in the
        image's own format, or as wide as it is; the image itself for SVG and GIF."""
        chosen = self._own(OPEN_GRAPH_WIDTH)
        if chosen is None:
            return self.source.name, self.source.width, self.source.height
        return chosen.name, chosen.width, chosen.height

    def identity(self) -> list[str]:
        return [self.source.name, self.source.digest, ENCODER]
