"""Files of static/ edited in place (see gazette.build.in_place): a style sheet or a script
whose bytes changed is copied again, and no page is made: pages name static files by their
addresses only (`url('css/site.css')`), never by what they hold. A file added or deleted plans
the whole site (it may claim a page's address, or stop overriding the theme's), as does a
picture replaced (its variants are planned with the site's images)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gazette.build.outputs import OutputFile, OutputKind, static_output
from gazette.build.plan_reader import PlanReader


def statics_to_copy(reader: PlanReader, statics: Mapping[str, tuple[str, int, int]],
                    planned: Mapping[str, tuple[str, int, int]]) -> dict[int, tuple[OutputFile, OutputFile]] | None:
    """For each of the `statics` (name in static/ -> (path, size, mtime), as they are now), by
    its place in the plan: the plan's file, and the file to copy now; None if the plan did not
    copy that file from that path (`planned`: static/'s files but the pictures, as planned)."""
    copied = {}
    for name, (path, size, mtime) in statics.items():
        place = reader.place_of_file(name)
        file = reader.file_at(place) if place is not None else None
        if file is None or file.kind is not OutputKind.STATIC or planned.get(name, ("",))[0] != path:
            return None
        copied[place] = (file, static_output(name, Path(path), size, mtime))
    return copied
