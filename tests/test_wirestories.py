"""Wire stories: near-identical copy of one agency under several hosts is one story; anything else is not."""

from __future__ import annotations

from app.queries.pagedata import OutletRef
from app.queries.wirestories import WireCopy, wire_stories

AFP, REUTERS = OutletRef("afp", "AFP"), OutletRef("reuters", "Reuters")
GAZETTE, TIMES = OutletRef("gazette", "The Gazette"), OutletRef("times", "The Times")
STORY = ("Russian and American diplomats failed to agree on Monday on how to revive the truce, and aid convoys "
         "stayed at the border as the fighting resumed around Aleppo, officials said. The talks are to resume "
         "in Geneva next week, a spokesman said.")
TRIMMED = STORY.split(". The talks")[0] + "."  # a host that dropped the last sentence
OTHER = ("The UN Security Council met in New York on Sunday after the airstrike near Deir ez-Zor, and envoys "
         "traded blame for the collapse of the truce, diplomats said.")


def test_a_story_and_its_trimmed_reprint_are_one_story_with_both_hosts() -> None:
    [story] = wire_stories([WireCopy(1, AFP, GAZETTE, STORY), WireCopy(2, AFP, TIMES, TRIMMED.upper()),
                            WireCopy(3, AFP, None, STORY)])
    assert (story.agency, story.hosts, story.article_ids) == (AFP, [GAZETTE, TIMES, None], [1, 2, 3])


def test_different_stories_or_agencies_are_not_grouped() -> None:
    assert wire_stories([WireCopy(1, AFP, GAZETTE, STORY), WireCopy(2, AFP, TIMES, OTHER)]) == []
    assert wire_stories([WireCopy(1, AFP, GAZETTE, STORY), WireCopy(2, REUTERS, TIMES, STORY)]) == []


def test_one_host_printing_a_story_twice_is_not_carried_by_several() -> None:
    assert wire_stories([WireCopy(1, AFP, GAZETTE, STORY), WireCopy(2, AFP, GAZETTE, TRIMMED)]) == []
    assert wire_stories([WireCopy(1, AFP, GAZETTE, ""), WireCopy(2, AFP, TIMES, "")]) == []
