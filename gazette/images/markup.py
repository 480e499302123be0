"""The HTML of a responsive image: a `<picture>` offering WebP first and the image's own format
after, each as a `srcset` of widths with the `sizes` of the article column, and an `<img>` with
`width` and `height` (so the layout does not jump while it loads), the alt text, and loading
hints: the lead image is fetched first, body images only as the reader nears them."""

from __future__ import annotations

import html
import re
from typing import Callable

from gazette.build.links import parse_attributes
from gazette.images.variants import ResponsiveImage

# The article column is 40rem (640 px) wide, less the page's padding on a phone.
SIZES = "(min-width: 43rem) 40rem, calc(100vw - 2.5rem)"
_IMG_TAG = re.compile(r"<img\b([^>]*)>")


def picture_html(image: ResponsiveImage, alt: str, href: Callable[[str], str], *, lead: bool = False,
                 title: str | None = None) -> str:
    """The `<picture>` (or a lone `<img>` for an image shown as it is: SVG, GIF)."""
    loading = ' fetchpriority="high"' if lead else ' loading="lazy" decoding="async"'
    extra = f' title="{html.escape(title)}"' if title else ""
    size = f' width="{image.width}" height="{image.height}"' if image.width and image.height else ""
    fallback = image.fallback  # None only for an image shown as it is
    img = f'<img src="{href(fallback.name if fallback else image.source.name)}" alt="{html.escape(alt)}"{size}{loading}{extra}>'
    if not image.srcset:
        return img
    srcset = ", ".join(f"{href(v.name)} {v.width}w" for v in image.srcset)
    return f'<picture><source type="image/webp" srcset="{srcset}" sizes="{SIZES}">{img}</picture>'


def responsive_body(body_html: str, pictures: dict[str, ResponsiveImage], href: Callable[[str], str]) -> str:
    """A body with each `<img>` of the site's own images (its `src` as `href` writes an image's
    name) made into its `<picture>`, keeping its alt text and title."""
    if not pictures:
        return body_html
    by_src = {href(name): image for name, image in pictures.items()}

    def replace(match: re.Match) -> str:
        attributes = parse_attributes(match.group(1))
        image = by_src.get(attributes.get("src", ""))
        if image is None:
            return match.group(0)
        return picture_html(image, attributes.get("alt", ""), href, title=attributes.get("title"))

    return _IMG_TAG.sub(replace, body_html)
