"""Which numbered pages of a list change as stories leave and join it (the pure arithmetic of
builds in place; tests/build/test_shifted.py checks the pages against a plan of the site)."""

from gazette.build.list_shift import ListShift


def shift(went=(), came=(), total=25, now_total=None, size=10):
    if now_total is None:
        now_total = total - len(went) + len(came)
    return ListShift(tuple(went), tuple(came), total, now_total, size)


def test_a_story_leaving_the_oldest_page_changes_it_and_page_1():
    # 25 stories: page 2 holds the 10 oldest, page 1 the 15 newest.
    assert shift(went=[3]).numbers() == {1, 2}


def test_a_story_leaving_page_1_changes_page_1_alone():
    assert shift(went=[12]).numbers() == {1}


def test_a_story_moved_within_one_numbered_page_changes_that_page_alone():
    assert shift(went=[3], came=[7]).numbers() == {2}


def test_a_story_moved_from_a_numbered_page_to_page_1_changes_both():
    assert shift(went=[3], came=[12]).numbers() == {1, 2}


def test_a_story_moved_far_changes_every_page_between():
    assert shift(went=[5], came=[47], total=60).numbers() == {2, 3, 4, 5, 6}


def test_a_list_gaining_a_page_changes_every_page_from_the_story_and_the_pager_of_the_newest():
    change = shift(came=[95], total=109)
    assert (change.last, change.now_last) == (10, 11)
    assert change.numbers() == {1, 11, 8, 9, 10}
    assert shift(came=[0], total=109).numbers() == {1, *range(2, 12)}


def test_a_list_losing_a_page_changes_the_pager_of_its_newest_numbered_pages():
    change = shift(went=[105], total=110)
    assert (change.last, change.now_last) == (11, 10)
    assert change.numbers() == {1, 8, 9, 10}


def test_a_story_added_to_page_1_changes_page_1_alone():
    assert shift(came=[95], total=100).numbers() == {1}


def test_the_newest_difference_decides_whether_the_feed_changes():
    assert shift(went=[3]).newest_changed() == 21
    assert shift(came=[25]).newest_changed() == 0
    assert shift(went=[20], came=[10], total=25).newest_changed() == 4
