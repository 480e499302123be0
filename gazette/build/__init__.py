"""The build: from the content model to a complete output folder, fast and safe.

`pipeline` runs it top to bottom (gather, render, write), `markup` renders Markdown (bounded
by `deadline`), `pages` plans every page and finds URL collisions before anything is written,
`render` fills the Jinja templates, `fingerprint` says what each page depends on, `cache` keeps
what earlier builds computed, `parallel` forks workers, `output` swaps the output in whole,
`record` marks a folder as a build's own, `progress` draws the bar. `in_place` builds an
edit from the last plan, kept by `plan_store` and read by `plan_reader` (a list's cards unread:
`kept_entries`), with what the builds since did (`plan_edits`); `newest` plans the day's news
from it.
"""
