"""The record of published URLs as text (gazette.model.published): read and changed only where
it names what an edit touches, it says what the whole record, parsed, changed and formatted
again, says."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gazette.model.published import PublishedUrl, RecordText, format_published, parse_published

PATH = Path("published-urls.txt")
segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
route = st.lists(segment, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + "/")
file = segment.map(lambda name: f"content/{name}.md")
identity = st.one_of(segment.map(lambda value: f"body:{value}"), segment.map(lambda value: f"source:{value}"),
                     st.just("gone:Retracted at the author's request."))


@st.composite
def records_and_changes(draw):
    routes = draw(st.lists(route, min_size=1, max_size=30, unique=True))
    records = {r: PublishedUrl(r, draw(file), draw(identity)) for r in routes}
    changed = draw(st.lists(st.sampled_from(routes), max_size=5, unique=True))
    changes = {r: PublishedUrl(r, draw(file), draw(identity)) for r in changed}
    return records, changes


@settings(max_examples=300, deadline=None)
@given(records_and_changes())
def test_changing_the_lines_of_a_few_routes_is_formatting_the_whole_record_changed(case):
    records, changes = case
    text = RecordText(format_published(records), PATH)
    assert text.with_records(changes) == format_published({**records, **changes})


@settings(max_examples=300, deadline=None)
@given(records_and_changes(), st.data())
def test_the_records_naming_a_route_a_file_or_an_identity_are_those_of_its_lines(case, data):
    records, _ = case
    wanted = data.draw(st.lists(st.sampled_from(sorted(records.values())), min_size=1, max_size=3))
    needles = [data.draw(st.sampled_from([f"/{r.route}", r.file, r.identity])) for r in wanted]
    found = RecordText(format_published(records), PATH).records_naming(needles)
    assert {r.route for r in wanted if any(needle in (f"/{r.route}", r.file, r.identity) for needle in needles)} <= found.keys()
    assert all(found[r] == records[r] for r in found)  # as parsing the whole text gives them
    text = format_published(records)
    assert found == {r: record for r, record in parse_published(text, PATH).items()
                     if any(needle in f"/{r} {record.file}  {record.identity}" for needle in needles)}


@settings(max_examples=300, deadline=None)
@given(st.lists(route, min_size=2, max_size=30, unique=True), st.data())
def test_adding_the_lines_of_new_routes_is_formatting_the_whole_record_with_them(routes, data):
    new = data.draw(st.lists(st.sampled_from(routes), min_size=1, max_size=3, unique=True))
    records = {r: PublishedUrl(r, data.draw(file), data.draw(identity)) for r in routes}
    old = {r: record for r, record in records.items() if r not in new}
    if not old:
        return
    added = RecordText(format_published(old), PATH).with_new_records({r: records[r] for r in new})
    if max(map(len, new)) > max(map(len, old)):  # a longer address pads every line anew
        assert added is None
    else:
        assert added == format_published(records)
