"""`gazette check`: validate the content and the BUILT site, as a reader's browser would see it.

Layers, each pure where it can be:
1. `run`: content and URL collisions, by the same validation and page plan as `build`.
2. `scan`: every HTML page read once for its ids and links, feeds and sitemaps parsed as XML.
3. `links`: every link resolved as GitHub Pages would serve it.
4. `blame`: each broken link charged to the file an editor has to change: the article's
   Markdown file and line for links written in an article, the template for links a template
   makes (once per template and target, not once per page).

Nothing is written but the build cache, and nothing is fetched: links to other hosts are not
checked.
"""
