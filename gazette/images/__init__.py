"""Responsive images: every picture an article or page shows (its lead `image:`, and the images
its body takes from static/) is read once, made into variants at a few widths in its own format
and in WebP, cached by its bytes and the encoder's settings, and shown as a `<picture>` with
`srcset`, `sizes`, `width` and `height`.

- `variants`: which variants an image gets and what they are called (pure);
- `encode`: reading and resizing with Pillow, with limits for corrupt and huge files;
- `catalog`: the build stage that finds the images, makes what the cache lacks in worker
  processes, and answers pages with their `Pictures`;
- `markup`: the `<picture>` HTML, for the lead image and for the images of a body.
"""
