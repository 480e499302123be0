"""The content model: what a site is made of, read and checked, with nothing about HTML.

`config` (site.toml, every setting declared once), `frontmatter` (split and parse, pure),
`content` (articles as small typed records, validated with located errors), `reading` (input
files read safely), `urls` (every route and slug), `site` (ordering, topics, archive), `related`.
"""
