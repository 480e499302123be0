"""The content model: what a site is made of, read and checked, with nothing about HTML.

`config` (site.toml, every setting declared once), `frontmatter` (split and parse, pure),
`article` (one article: typed records, every front-matter field declared once, validated with
located errors), `content` (the content folder read, reusing what is unchanged), `reading`
(input files read safely), `urls` (every route and slug), `site` (ordering, topics, archive), `related`.
"""
