"""A generated archive for the reader-facing tests: a few hundred varied articles.

`write_archive(root, n)` writes a complete project folder (site.toml, content/, static/ with
the repo's CSS and one picture) whose articles use every Markdown feature a writer might:
headings, lists, block quotes, tables, fenced code, links, images with alt text, emphasis,
footnotes, non-ASCII text and HTML-special characters in titles and summaries. Article 0
uses all of them at once (the "kitchen sink"). Output depends only on `n` and `seed`.
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from support.images import photo

REPO = Path(__file__).resolve().parents[2]
KITCHEN_SINK_SLUG = "story-0000"  # article 0, which uses every feature at once
LEAD_PHOTO = "lead-photo.jpg"  # the kitchen sink's lead image, 4000x3000
EMBED_VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
EMBED_POST = "https://bsky.app/profile/gazette.example/post/3l6oveex3ii2l"

SITE_TOML = """\
title = "Generated Wire & Co"
description = "A generated archive: <tests> & \\"quotes\\"."
base_url = "https://example.org/news/"
language = "en"
timezone = "Europe/Zurich"
page_size = 12

[[topics]]
title = "AI"
slug = "ai"
description = "Models, labs & the people building them."
keywords = []

[[topics]]
title = "Chips"
slug = "chips"
description = "Semiconductors and the machines that make them."
keywords = []

[[topics]]
title = "Energy"
slug = "energy"
description = "Batteries, grids <and> power."
keywords = []

[[topics]]
title = "Policy"
slug = "policy"
description = "Regulation and law."
keywords = []

[[topics]]
title = "Space"
slug = "space"
description = "Rockets and satellites."
keywords = []

[[topics]]
title = "Security"
slug = "security"
description = "Breaches, hacks and defenders."
keywords = []

[[authors]]
name = "Jane Doe"
bio = "Covers chips & energy <from> Zürich."
url = "https://jane.example/"
"""

AUTHORS = ["Jane Doe", "Ravi Ananthan", "Zoë O'Connor", "Li Wei"]
ABOUT_PAGE = """\
---
title: "About Generated Wire & Co"
summary: What this generated archive is, and how to report an error.
---
Generated Wire keeps [every story](/archive/) it has published.

## Reporting an error

Errors are corrected in the open and listed on [the corrections page](/corrections/).
"""

PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
    '<rect width="640" height="360" fill="#2d4a6b"/><circle cx="320" cy="180" r="120" fill="#e8c170"/></svg>\n'
)

TOPICS = ["AI", "Chips", "Energy", "Policy", "Space", "Security", "Robots & Drones"]
TAGS = ["startups", "funding", "Europe", "China", "batteries", "GPUs", "lawsuits", "open source",
        "São Paulo", "Zürich", "launches", "privacy", "R&D", "exports"]
COMPANIES = ["Northwind", "Quantix", "Helion Dynamics", "Arcturus Labs", "Lumen Micro", "Corvid Security",
             "Stratos Aerospace", "Bluefin Energy", "Müller & Söhne", "Société Générale Tech", "北京 Robotics"]
VERBS = ["Unveils", "Delays", "Doubles", "Cuts", "Launches", "Settles", "Expands", "Rethinks", "Tests"]
THINGS = ["a Chip Plant", "Its Battery Line", "the <Next> Model", "Satellite Plans", "a $2bn Fund",
          "Rocket \"Falcon-X\"", "Grid Storage in Zürich", "AI Safety Rules", "Quantum Sensors"]
WORDS = ("market investor analyst engineer customer platform launch deal merger lawsuit report survey "
         "forecast quarter revenue margin valuation regulator factory network prototype milestone supplier "
         "rival founder developer researcher economy bottleneck breakthrough shortage capacity roadmap "
         "electrolyte lithography constellation ransomware telescope").split()


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return (" ".join(chosen)).capitalize() + "."


def paragraph(rng: random.Random, inline: bool = True) -> str:
    parts = [sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(2, 5))]
    if inline:
        company = rng.choice(COMPANIES)
        parts.insert(1, rng.choice([
            f"*{company}* said the plan was **on track**.",
            f"Its `config.yaml` sets `max_units = {rng.randint(2, 99)}`.",
            f"Read [the filing](https://example.com/filings/{rng.randint(1, 999)}) for details.",
            f"Prices rose 5% in Q{rng.randint(1, 4)} — a “surprise” to analysts & investors.",
        ]))
    return " ".join(parts)


def heading_block(rng: random.Random, i: int) -> str:
    return f"## {sentence(rng, 3)[:-1]}\n\n{paragraph(rng)}\n\n### Details & numbers\n\n{paragraph(rng, False)}"


def list_block(rng: random.Random, i: int) -> str:
    bullets = "\n".join(f"- {sentence(rng, 4)}" for _ in range(3))
    numbered = "\n".join(f"{k}. {sentence(rng, 5)}" for k in range(1, 4))
    return f"{bullets}\n\n{numbered}"


def quote_block(rng: random.Random, i: int) -> str:
    return f"> “{sentence(rng, 12)}” said {rng.choice(COMPANIES)}'s chief executive.\n>\n> {sentence(rng, 8)}"


def table_block(rng: random.Random, i: int) -> str:
    # Wider than a phone: the last columns need no randomness, so other articles stay the same.
    rows = [f"| {rng.choice(COMPANIES)} | ${rng.randint(1, 900)}m | {rng.randint(-40, 90)}% "
            f"| Series {'ABCD'[row]} | Europe, Middle East and Africa | Announced in the quarterly filing |"
            for row in range(4)]
    return ("| Company | Raised | Change | Round | Region | Source |\n|---|--:|--:|---|---|---|\n"
            + "\n".join(rows))


def code_block(rng: random.Random, i: int) -> str:
    return ("```python\nfor unit in fleet:\n    if unit.load > 0.8 and unit.region != \"eu-west\":\n"
            "        rebalance(unit, target=\"<auto>\")  # a long line that must never widen the page\n```")


def image_block(rng: random.Random, i: int) -> str:
    return f"![A chart of {rng.choice(WORDS)} figures for {rng.choice(COMPANIES)}](/images/picture.svg)"


def footnote_block(rng: random.Random, i: int) -> str:
    source = f"{rng.choice(COMPANIES)} annual report, p. {rng.randint(2, 300)}"
    return f"{sentence(rng, 9)[:-1]}[^{i}] and more.\n\n[^{i}]: Source: {source}."


def long_url_block(rng: random.Random, i: int) -> str:
    path = "segment-without-any-break-" * 4
    return f"The full dataset is at https://example.com/very/long/path/{path}{i}.csv for anyone to check."


def embed_block(rng: random.Random, i: int) -> str:
    """A video and a post, each a link alone on its line: click-to-load cards."""
    return f"{EMBED_VIDEO}\n\n[{rng.choice(COMPANIES)}'s announcement, as posted]({EMBED_POST})"


BLOCKS = [heading_block, list_block, quote_block, table_block, code_block, image_block, footnote_block,
          long_url_block]


def article_text(i: int, rng: random.Random, start: datetime) -> str:
    everything = i == 0
    company = rng.choice(COMPANIES)
    title = f"{company} {rng.choice(VERBS)} {rng.choice(THINGS)}"
    if everything:
        title = "Kitchen Sink: <Every> Feature & “Quotes” in Müller's Story"
    topics = rng.sample(TOPICS, rng.randint(1, 3))
    when = start + timedelta(days=i * 6, hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
    lines = [
        "---",
        f"title: {quote(title)}",
        f"date: {when:%Y-%m-%dT%H:%M:00+01:00}",
        f"topics: [{', '.join(quote(t) for t in topics)}]",
        f"tags: [{', '.join(quote(t) for t in rng.sample(TAGS, 3 if everything else rng.randint(0, 4)))}]",
        f"slug: story-{i:04d}",
    ]
    if everything or rng.random() < 0.5:
        lines.append(f"summary: {quote(f'{company} & partners: <{rng.choice(WORDS)}> plans, “explained”.')}")
    if everything:  # a camera's photo, 4000x3000, which phones get as a small variant
        lines += [f"image: images/{LEAD_PHOTO}", f"image_alt: {quote(f'The {company} building, lit at dusk')}",
                  f"image_caption: {quote(f'{company} headquarters at dusk.')}", "image_credit: Photo/Gazette Tests",
                  "toc: true"]
    elif rng.random() < 0.2:
        lines += ["image: images/picture.svg", f"image_caption: {quote(f'{company} headquarters at dusk.')}",
                  "image_credit: Photo/Gazette Tests"]
    if everything or rng.random() < 0.1:
        lines.append(f"updated: {when + timedelta(days=2):%Y-%m-%d}")
    if everything:  # an old address that redirects here
        lines.append(f"aliases: [/{when:%Y/%m}/story-{i:04d}-first-draft/]")
    # Bylines and corrections draw from a generator of their own, so the rest stays as it was.
    extra = random.Random(i * 7_919 + 13)
    if everything:
        lines.append(f"authors: [{quote(AUTHORS[0])}, {quote(AUTHORS[2])}]")
    elif extra.random() < 0.7:
        lines.append(f"author: {quote(extra.choice(AUTHORS))}")
    if everything or extra.random() < 0.05:
        lines += ["corrections:", f"  - date: {when + timedelta(days=3):%Y-%m-%d}",
                  f"    text: {quote('An earlier version gave the wrong <figure> for ' + company + '.')}"]
    blocks = [*BLOCKS, embed_block] if everything else rng.sample(BLOCKS, rng.randint(1, 4))
    body = [paragraph(rng)]
    for block in blocks:
        body += [block(rng, i + 1), paragraph(rng)]
    return "\n".join(lines) + "\n---\n" + "\n\n".join(body) + "\n"


def quote(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_archive(root: Path, n: int = 300, seed: int = 7) -> Path:
    """Write the project folder at `root` and return it (build it with BuildOptions(Project.at(root)))."""
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "static" / "images").mkdir(exist_ok=True)
    (root / "static" / "images" / "picture.svg").write_text(PICTURE, encoding="utf-8")
    photo(root / "static" / "images" / LEAD_PHOTO, 4000, 3000)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (root / "content" / "pages").mkdir()
    (root / "content" / "pages" / "about.md").write_text(ABOUT_PAGE, encoding="utf-8")
    start = datetime(2019, 1, 3, 8, 0)
    for i in range(n):
        rng = random.Random(seed * 100_003 + i)
        text = article_text(i, rng, start)
        year = (start + timedelta(days=i * 6)).year
        path = root / "content" / str(year) / f"story-{i:04d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
