"""Files of static/ edited, added or deleted in place (see gazette.build.in_place): a style
sheet or a script whose bytes changed is copied again, a new file (an attachment) copied, a
deleted one removed, and no page is made: pages name static files by their addresses only
(`url('css/site.css')`), never by what they hold. A file at an address the plan has (a
page's: the whole plan reports the collision), a file the site's own static/ starts or stops
overriding in the theme or in the build (the code highlighting's style sheet), and a picture
replaced (its variants are planned with the site's images) plan the whole site."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gazette.build.outputs import OutputFile, OutputKind, static_output
from gazette.build.plan_reader import PlanReader
from gazette.build.publish import hosting_names


@dataclass(frozen=True)
class StaticChanges:
    """What a build in place does to static/'s files but the pictures, since the plan."""

    copied: dict[int, tuple[OutputFile, OutputFile]]  # by place: (the plan's, now)
    added: list[OutputFile]  # files the plan lacks
    removed: list[str]  # the plan's files deleted since, and those added since, deleted

    @property
    def names(self) -> list[str]:
        return [*(file.name for _, file in self.copied.values()), *(file.name for file in self.added), *self.removed]


def static_changes(reader: PlanReader, statics: Mapping[str, tuple[str, int, int] | None],
                   planned: Mapping[str, tuple[str, int, int]], before: Mapping[str, tuple[str, int, int] | None]
                   ) -> StaticChanges | None:
    """What to do for each of the `statics` (name in static/ -> (path, size, mtime) as it is
    now, or None: deleted since the plan): see `StaticChanges`; None where the whole plan must
    (see the module's docstring). `planned`: static/'s files but the pictures, as planned;
    `before`: the `statics` of the last build, whose files added since the plan and gone now go."""
    copied: dict[int, tuple[OutputFile, OutputFile]] = {}
    added: list[OutputFile] = []
    removed = [name for name, stamp in before.items() if stamp is not None and name not in planned and name not in statics]
    for name, stamp in statics.items():
        place = reader.place_of_file(name)
        file = reader.file_at(place) if place is not None else None
        if stamp is None:
            if file is None or file.kind is not OutputKind.STATIC or name in hosting_names():
                return None  # the build writes its own in its place: the code highlighting's style sheet
            removed.append(name)
            continue
        path, size, mtime = stamp
        now = static_output(name, Path(path), size, mtime)
        if name not in planned:
            if file is not None:
                return None  # a page's address, say
            added.append(now)
        elif file is None or file.kind is not OutputKind.STATIC or planned[name][0] != path:
            return None  # another layer's file now
        else:
            copied[place] = (file, now)
    return StaticChanges(copied, added, removed)
