"""The outputs of a build in place (see gazette.build.in_place): the kept plan's output files
as the writer asks for them (`OutputPlan`'s surface), but for the pages made again, added or
gone, read from the store only as far as asked."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from functools import cached_property

from gazette.build.output import FileSource
from gazette.build.outputs import OutputFile, OutputKind
from gazette.build.plan_reader import PlanReader


class KeptOutputs:
    """What the writer asks of an `OutputPlan`, for an edit in place: the kept plan's output
    files, but for the pages made again (`edited`: place -> the file with its new fingerprint;
    `how`: how to make them), read from the store only as far as asked. An edit looks up the
    few files it may change; a build that compares every file reads them all once. `added`:
    files the plan does not have (the pages of articles added since); `article_months`: the
    plan's, with those articles; `removed`: the files that are gone, with their kinds: the
    plan's (the pages of its articles deleted since) and files made since (the pages of those
    added and deleted again, and of their new topics, months...); `made_before`: the kinds of
    the files the last build made that the plan lacks or has of another kind (`PlanEdits.made`)."""

    def __init__(self, reader: PlanReader, edited: Mapping[int, OutputFile], how: dict[str, FileSource],
                 added: Sequence[OutputFile] = (), article_months: dict[str, int] | None = None,
                 removed: Mapping[str, OutputKind] | None = None, made_before: Mapping[str, OutputKind] | None = None
                 ) -> None:
        self.how = how
        self._made_before = made_before or {}
        self._removed = dict(removed or {})
        self._reader = reader
        self._edited = edited
        self._added = tuple(added)
        self._edited_by_name = {file.name: file for file in (*edited.values(), *added)}
        self._article_months = article_months
        planned_gone = sum(1 for name in self._removed if reader.file_named(name) is not None)
        self.fingerprints: Mapping[str, str] = _KeptFingerprints(
            self, reader.head.file_count + len(self._added) - planned_gone)

    @cached_property
    def files(self) -> tuple[OutputFile, ...]:
        files = self._reader.every_file()
        for place, file in self._edited.items():
            files[place] = file
        return (*(file for file in files if file.name not in self._removed), *self._added)

    def file_named(self, name: str) -> OutputFile | None:
        made = self._edited_by_name.get(name)
        return made if made is not None or name in self._removed else self._reader.file_named(name)

    def kinds(self, names: Collection[str]) -> dict[str, OutputKind]:
        """The kinds of those of the files `names` the plan has, or had since (`removed`): the
        site is measured from the files changed."""
        kinds = {name: file.kind for name in names if (file := self.file_named(name)) is not None}
        return {**kinds, **{name: self._removed[name] for name in self._removed.keys() & set(names)}}

    def kinds_before(self, names: Collection[str]) -> dict[str, OutputKind]:
        """The kinds of those of the files `names` the last build left: the site is measured from
        the files changed, and a moved article's old page is its redirect now."""
        kinds = {name: file.kind for name in names if (file := self._reader.file_named(name)) is not None}
        return {**kinds, **{name: self._made_before[name] for name in self._made_before.keys() & set(names)}}

    @property
    def article_months(self) -> dict[str, int]:
        return self._article_months if self._article_months is not None else self._reader.head.article_months

    @property
    def plain_page_files(self) -> tuple[str, ...]:
        return self._reader.head.plain_page_files


class _KeptFingerprints(Mapping[str, str]):
    """`KeptOutputs`' files by name -> fingerprint: looked up one by one, until something
    iterates over them or looks up many, which reads them all once."""

    # Lookups, each a query, before the rest are read all at once: at least ONE_BY_ONE, and one
    # for every FILES_PER_LOOKUP files. Reading every file costs about what a lookup for one file
    # in ten does (at 100,000 articles, 0.2 s for 130,000 files; a lookup takes 14 to 17 µs).
    ONE_BY_ONE = 1000
    FILES_PER_LOOKUP = 10

    def __init__(self, outputs: KeptOutputs, count: int) -> None:
        self._outputs = outputs
        self._count = count
        self._lookups = 0
        self._every: dict[str, str] | None = None

    def __getitem__(self, name: str) -> str:
        if self._every is None and self._lookups < max(self.ONE_BY_ONE, self._count // self.FILES_PER_LOOKUP):
            self._lookups += 1
            file = self._outputs.file_named(name)
            if file is None:
                raise KeyError(name)
            return file.fingerprint
        return self._all()[name]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def _all(self) -> dict[str, str]:
        if self._every is None:
            self._every = {file.name: file.fingerprint for file in self._outputs.files}
        return self._every
