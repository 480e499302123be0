"""The check, top to bottom: plan the site as `build` does, read the output, resolve every
link, blame the broken ones; and `run_check` for the command line."""

from __future__ import annotations

import sys
from dataclasses import replace

from gazette import __version__
from gazette.build.pipeline import BuildOptions, SitePlan, gather
from gazette.build.publish import site_outputs
from gazette.build.record import RECORD_NAME, BuildRecord, read_record
from gazette.build.session import BuildSession, with_cache
from gazette.build.size import limit_problems, measure_site
from gazette.check.blame import Attributor
from gazette.check.links import SiteAddress, find_broken_links
from gazette.check.scan import OutputTree, read_documents
from gazette.errors import GazetteError, Problem, quoted


def plan_site(options: BuildOptions, session: BuildSession) -> SitePlan:
    """The build's own validation and page plan: `gather`, raising GazetteError on any
    content problem or URL collision.

    It goes through the build cache (unless `options.use_cache` is off) because rendering
    Markdown is nine tenths of `gather`'s time (20 s of 22 s for 10,000 articles without
    it), and right after a build every body is in the cache. The cache is the only thing
    the check may write to; with `use_cache=False` it writes nothing at all."""
    return gather(options, session)


def check_site(options: BuildOptions) -> list[Problem]:
    """Every problem in the content and in the built site at `options.project.output`; [] if none.

    Content problems (invalid articles, two sources claiming one URL) are reported alone: the
    site cannot be built from such content, so the output is an older build. Without a base
    URL of its own, the check takes the one the output was built with (its build record):
    the deploy job builds with the URL GitHub Pages gives, whatever site.toml says."""
    record = read_record(options.project.output)
    if record is not None and options.base_url is None:
        options = replace(options, base_url=record.base_url)
    def check() -> list[Problem]:
        with BuildSession(options.cache_file) as session:  # open while checking: bodies are read from it
            return _check_site(options, session, record)

    problems, warnings = with_cache(options.cache_file, check)
    for warning in warnings:  # a damaged cache, set aside: not a problem of the site
        print(warning, file=sys.stderr)
    return problems


def _check_site(options: BuildOptions, session: BuildSession, record: BuildRecord | None) -> list[Problem]:
    try:
        plan = plan_site(options, session)
    except GazetteError as exc:
        return list(exc.problems)
    output = options.project.output
    if not (output / "index.html").is_file():
        return [Problem(output, "the built site is not there; run `build` first")]
    mismatch = record_mismatch(options, plan.config.base_url, record)
    if mismatch:
        # Every link would be judged against another build's site: say that once instead.
        return [mismatch]
    tree = OutputTree.read(output)
    site = SiteAddress.from_base_url(plan.config.base_url)
    documents, problems = read_documents(output, tree, options.worker_count)
    problems += plan.lost  # a published URL with no page and no redirect: a dead link from outside
    # Without fingerprints: the check reads what the output holds.
    outputs = {file.name: file for file in site_outputs(options, plan, None).files}
    pages = {page.output_file: page for page in plan.pages}
    broken = find_broken_links(documents, tree, site)
    attributor = Attributor(options, outputs, pages, site)
    problems += attributor.problems(broken, sorted(outputs.keys() - tree.files))
    problems += [
        Problem(attributor.origin_of(name).path, f"the id {quoted(duplicate)} is used twice on {name}: "
                f"a link to #{duplicate} reaches only the first; rename one")
        for name, document in documents.items() for duplicate in document.duplicate_ids
    ]
    size = measure_site(output, {name: file.kind for name, file in outputs.items()})
    problems += [p for p in limit_problems(size, plan.config.max_site_bytes, plan.config.max_file_bytes, output,
                                           fail_past=True) if not p.message.startswith("warning: ")]
    return sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.message))


def record_mismatch(options: BuildOptions, base_url: str, record: BuildRecord | None) -> Problem | None:
    """Why the output cannot be checked against these options, if it cannot."""
    output = options.project.output
    if record is None:
        return Problem(output, f"has no build record ({RECORD_NAME}): it was built by an older Gazette or "
                               "by something else; run `build` again")
    if record.version != __version__:
        return Problem(output, f"was built by Gazette {record.version}, and this is Gazette {__version__}; "
                               "run `build` again")
    if record.base_url != base_url:
        return Problem(options.project.config_file, f"{output}/ was built for the base URL {record.base_url}, not "
                       f"{base_url}; build again, or check with the base URL it was built with")
    if record.drafts != options.drafts:
        built, asked = ("with", "without") if record.drafts else ("without", "with")
        return Problem(output, f"was built {built} --drafts, and the check was asked {asked} them; "
                               f"check {built} --drafts, or build again")
    return None


def run_check(options: BuildOptions) -> int:
    """For the command line: print every problem, return the exit status (0 clean, 1 not)."""
    problems = check_site(options)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = len(problems)
        print(f"check: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    print(f"check: no problems found in {options.project.content} and {options.project.output}")
    return 0
