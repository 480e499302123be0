"""The command line: `gazette build|import|serve|new|init|check` (see README)."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from datetime import date
from pathlib import Path

from gazette.build.pipeline import BuildOptions, build
from gazette.build.stages import timing_table
from gazette.errors import DiskError, GazetteError
from gazette.project import Project

# The other commands' modules are imported by their handlers: a build, the command run most,
# need not pay for the checker, the importer or the server (a tenth of a second).

COMMANDS = ("build", "import", "serve", "new", "init", "check")


def _add_build_arguments(parser: argparse.ArgumentParser, jobs: bool = True) -> None:
    parser.add_argument("--content", type=Path, metavar="DIR", help="articles folder (default: content/)")
    parser.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: public/)")
    parser.add_argument("--base-url", metavar="URL", help="override base_url from site.toml")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    if jobs:  # serve builds in one process: forking beside its threads could deadlock
        parser.add_argument("--jobs", type=_positive, metavar="N", help="worker processes (default: every core)")
    parser.add_argument("--cache-dir", type=Path, metavar="DIR", help="build cache (default: .cache/)")
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not write the build cache")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-12") from None


def project_of(args: argparse.Namespace) -> Project:
    """The one picture of the project every command works on, from the folders given."""
    return Project.at(Path("."), content=getattr(args, "content", None), output=getattr(args, "output", None),
                      cache_dir=getattr(args, "cache_dir", None))


def build_options(args: argparse.Namespace, project: Project) -> BuildOptions:
    return BuildOptions(
        project,
        base_url=args.base_url,
        drafts=args.drafts,
        jobs=getattr(args, "jobs", None),
        use_cache=not getattr(args, "no_cache", False),
        progress=args.command == "build",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gazette", description="Static site generator for tech-news archives.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build_parser = commands.add_parser("build", parents=[common], help="build the site into public/")
    _add_build_arguments(build_parser)
    build_parser.add_argument("--size-report", action="store_true", help="print the site's bytes by kind of file")
    build_parser.add_argument("--timings", action="store_true", help="print where the build's time went, by stage")

    serve_parser = commands.add_parser("serve", parents=[common], help="build, watch and serve with live reload")
    _add_build_arguments(serve_parser, jobs=False)
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve_parser.add_argument("--poll", action="store_true", help="poll for changes (network drives, containers)")
    serve_parser.add_argument("--no-fast-render", dest="fast_render", action="store_false",
                              help="after a save, show open pages only once the complete build is done")

    check_parser = commands.add_parser("check", parents=[common], help="validate content and the built site")
    check_parser.add_argument("--content", type=Path, metavar="DIR", help="articles folder (default: content/)")
    check_parser.add_argument("--output", type=Path, metavar="DIR", help="built site (default: public/)")
    check_parser.add_argument("--base-url", metavar="URL", help="the base URL the site was built with")
    check_parser.add_argument("--drafts", action="store_true", help="the site was built with --drafts")

    import_parser = commands.add_parser("import", parents=[common], help="turn raw news dumps into articles")
    import_parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="raw dump files")
    import_parser.add_argument("--content", type=Path, metavar="DIR", help="articles folder (default: content/)")
    import_parser.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="date of the stories (default: the dump's)")
    import_parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    import_parser.add_argument("--force", action="store_true", help="overwrite articles an editor has changed")

    new_parser = commands.add_parser("new", parents=[common], help="start a new article and print its path")
    new_parser.add_argument("title", help="the headline")
    new_parser.add_argument("--topic", action="append", default=[], metavar="T", help="a topic (repeat for more)")
    new_parser.add_argument("--content", type=Path, metavar="DIR", help="articles folder (default: content/)")

    init_parser = commands.add_parser("init", parents=[common], help="start a new archive in an empty folder")
    init_parser.add_argument("folder", type=Path, metavar="DIR", help="the new archive's folder (new or empty)")
    init_parser.add_argument("--title", default="News Archive", metavar="T", help="the site's title")
    init_parser.add_argument("--base-url", default="https://example.org/", metavar="URL", help="where it will be published")
    init_parser.add_argument("--timezone", default="UTC", metavar="TZ", help="the newsroom's time zone (default: UTC)")
    return parser


def run_build(args: argparse.Namespace, project: Project) -> int:
    report = build(build_options(args, project))
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    for line in [*report.moved_lines(), *report.scheduled_lines()]:
        print(line)
    print(report.summary())
    if getattr(args, "size_report", False) and report.size:
        print("\n".join(report.size.table()))
    if getattr(args, "timings", False):
        print("\n".join(timing_table(report.stages)))
    return 0


def run_new(args: argparse.Namespace, project: Project) -> int:
    from gazette.importer.new import create_article

    print(create_article(args.title, args.topic, project.content, project.config()))
    return 0


def run_init(args: argparse.Namespace, project: Project) -> int:
    from gazette.starter import NewSite, init_site

    written = init_site(args.folder, NewSite(args.title, args.base_url, args.timezone))
    for path in written:
        print(f"wrote {path}")
    print(f"a new archive is in {args.folder}: `cd {args.folder}` and run `gazette serve` to see it")
    return 0


def run_import(args: argparse.Namespace, project: Project) -> int:
    from gazette.importer.run import import_dumps

    reports = import_dumps(args.files, project.content, project.config(), date=args.date,
                           dry_run=args.dry_run, force=args.force)
    for report in reports:
        print(report)
    return 0


def run_check_command(args: argparse.Namespace, project: Project) -> int:
    from gazette.check.run import run_check

    return run_check(build_options(args, project))


def run_serve_command(args: argparse.Namespace, project: Project) -> int:
    from gazette.preview.server import ServeOptions, run_serve

    return run_serve(ServeOptions(build_options(args, project), host=args.host, port=args.port, poll=args.poll,
                                  fast_render=args.fast_render))


HANDLERS = {"serve": run_serve_command, "build": run_build, "new": run_new, "init": run_init, "import": run_import, "check": run_check_command}


def run() -> None:
    """The command line as a process (`build.py`, the `gazette` script): `main`'s status is the
    process's. Once `main` has returned, every file it wrote is closed and every worker
    gone, so the process ends there rather than taking apart each module and object first:
    that took 0.03 to 0.05 s of a 0.35 s edit. Not under a profiler or a tracer (coverage),
    which write what they saw as the process exits."""
    status = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (`| head`), or the stream closed
            pass
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")  # `gazette` alone means `gazette build`
    args = make_parser().parse_args(argv)
    project = project_of(args)
    try:
        return HANDLERS[args.command](args, project)
    except DiskError as exc:
        if args.debug:
            traceback.print_exc()
        # One line: the file and the cause, and for a build what became of the site.
        kept = f" (the build stopped; {project.output} holds the last complete site)" if args.command == "build" else ""
        for problem in exc.problems:
            print(f"{problem}{kept}", file=sys.stderr)
        return 1
    except GazetteError as exc:
        if args.debug:
            traceback.print_exc()
        for problem in exc.problems:
            print(f"{problem}", file=sys.stderr)
        count = len(exc.problems)
        print(f"error: {count} problem{'s' if count != 1 else ''} found; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
