"""Counting outlets with wire stories: a story several hosts carried is one account, the unknown outlet none."""

from __future__ import annotations

from app.queries.pagedata import OutletRef
from app.queries.wirestories import Telling, carried_stories, outlets_told

AFP, REUTERS = OutletRef("afp", "AFP"), OutletRef("reuters", "Reuters")
GAZETTE, TIMES, POST = OutletRef("gazette", "The Gazette"), OutletRef("times", "The Times"), OutletRef("post", "Post")


def test_a_story_carried_by_three_hosts_counts_once_with_its_hosts_listed() -> None:
    tellings = [Telling(TIMES, 1, AFP), Telling(GAZETTE, 1, AFP), Telling(None, 1, AFP), Telling(POST)]
    [story] = carried_stories(tellings)
    assert (story.agency, story.hosts, story.story) == (AFP, [GAZETTE, TIMES, None], 1)
    assert outlets_told(tellings) == 2  # the AFP story and the Post


def test_a_host_telling_it_in_its_own_words_too_counts_apart_from_the_story() -> None:
    assert outlets_told([Telling(TIMES, 1, AFP), Telling(GAZETTE, 1, AFP), Telling(GAZETTE)]) == 2


def test_a_story_one_host_printed_is_that_host() -> None:
    tellings = [Telling(GAZETTE, 1, AFP), Telling(GAZETTE, 1, AFP), Telling(GAZETTE), Telling(TIMES, 2, REUTERS)]
    assert carried_stories(tellings) == []
    assert outlets_told(tellings) == 2


def test_the_unknown_outlet_is_no_outlet() -> None:
    assert outlets_told([Telling(None), Telling(None), Telling(POST)]) == 1
    assert outlets_told([Telling(None)]) == 0
