"""Writing article files for editors: `run` turns raw scraped dumps into articles (`dump` parses
them, `credits`, `classify` and `byline` read captions, topics and bylines, `escape` keeps their
text literal in Markdown), and `new` starts one article from a headline."""
