"""The reports sentences carry, on short texts written for these tests: dates set ahead, phrases that
share one time expression, and the milestone a plain mention is about."""

import datetime as dt
from pathlib import Path

from app.extract.reports import build_reports
from app.extract.sentences import analyse
from app.store.seedfiles import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parent.parent / "seeds")


def reports(text: str, published: dt.date):
    return build_reports(analyse(text, CATALOG), published, CATALOG)[0]


def by_milestone(text: str, published: dt.date) -> dict[str | None, dt.date | None]:
    return {r.milestone: r.date for r in reports(text, published)}


def test_an_explicit_date_after_publication_is_a_time_set_ahead():
    found = reports("The plan calls for a cease-fire starting on Sept. 12.", dt.date(2016, 9, 10))
    assert [(r.date, r.kind) for r in found] == [(dt.date(2016, 9, 12), "truce_start")]
    assert found[0].reasoning.endswith("the day of the milestone The truce takes effect.")
    assert found[0].reasoning.startswith("“Sept. 12” gives no year")


def test_a_weekday_set_ahead_is_the_coming_one():
    found = reports("Diplomats hailed a ceasefire effective from sundown on Monday.", dt.date(2016, 9, 10))
    assert [(r.date, r.milestone) for r in found] == [(dt.date(2016, 9, 12), "truce-begins")]


def test_a_past_weekday_beyond_publication_is_still_capped_at_publication():
    found = reports("Shelling was heard in the old city tomorrow, residents claimed.", dt.date(2016, 9, 15))
    assert found[0].date == dt.date(2016, 9, 16)  # "tomorrow" points forward whatever the verb


def test_one_time_expression_dates_one_phrase_and_the_others_are_mentions():
    text = ("The ceasefire, agreed between Moscow and Washington last month, began to fall apart after "
            "coalition jets bombed Syrian army positions.")
    found = by_milestone(text, dt.date(2016, 10, 4))
    assert found["geneva-agreement"] == dt.date(2016, 9, 9)
    assert found["deir-ezzor-airstrike"] == dt.date(2016, 9, 17)


def test_the_agreement_dated_a_day_later_is_still_the_agreement_on_the_day_the_text_gives():
    found = reports("The deal was announced on September 10 after marathon talks.", dt.date(2016, 9, 12))
    assert [(r.date, r.kind, r.milestone) for r in found] == [(dt.date(2016, 9, 10), "agreement", "geneva-agreement")]
    assert "sources date Fri 9 Sep 2016 or this day" in found[0].reasoning


def test_a_mention_of_a_milestone_that_happened_twice_is_the_latest_by_publication():
    text = "Russia said the truce had been extended."
    assert by_milestone(text, dt.date(2016, 9, 15)) == {"first-extension": dt.date(2016, 9, 14)}
    assert by_milestone(text, dt.date(2016, 9, 17)) == {"second-extension": dt.date(2016, 9, 16)}


def test_a_truce_set_out_from_one_date_until_another_dates_its_start_and_its_end():
    text = ("The army said the truce applies across the country as of 19:00 on September 12 and until 23:59 "
            "on September 18.")
    found = {(r.date, r.milestone) for r in reports(text, dt.date(2016, 9, 12))}
    assert found == {(dt.date(2016, 9, 12), "truce-begins"), (dt.date(2016, 9, 18), "army-declares-truce-over")}


def test_a_weekday_in_the_possessive_dates_what_it_owns():
    found = reports("Officials acknowledged Saturday’s strike on Syrian army positions.", dt.date(2016, 9, 19))
    assert [(r.date, r.milestone) for r in found] == [(dt.date(2016, 9, 17), "deir-ezzor-airstrike")]


def test_the_same_day_is_the_day_told_just_before():
    text = ("Washington suspended its talks with Moscow on Monday. The same day Russia withdrew from a "
            "separate accord, officials said.")
    found = reports(text, dt.date(2016, 10, 5))
    assert [r.date for r in found] == [dt.date(2016, 10, 3), dt.date(2016, 10, 3)]
    assert "just told of" in found[1].reasoning


def test_the_future_of_reported_speech_is_the_nearest_such_day():
    # Said before publication (Monday) of a Sunday already past, and of a Thursday still to come.
    said = reports("The army had said the pause would end on Sunday.", dt.date(2016, 9, 19))
    assert said[0].date == dt.date(2016, 9, 18)
    planned = reports("Diplomats said talks would be held on Thursday.", dt.date(2016, 9, 20))
    assert planned[0].date == dt.date(2016, 9, 22)


def test_what_a_dated_saying_says_happened_is_a_mention_on_its_own_day():
    found = by_milestone("Russia said on Saturday that coalition jets had bombed Syrian army positions.",
                         dt.date(2016, 9, 20))
    assert found == {None: dt.date(2016, 9, 17), "deir-ezzor-airstrike": dt.date(2016, 9, 17)}
    # Without "that", the day stays the saying's and the phrase beside it is not dated apart.
    beside = by_milestone("After a meeting of the International Syria Support Group, Kerry said on Thursday "
                          "Russia had to act.", dt.date(2016, 9, 23))
    assert "issg-new-york" not in beside


def test_each_of_several_dates_takes_its_own_clauses_kind():
    found = reports("Negotiators held talks on Tuesday, and on Wednesday the guns fell silent.", dt.date(2016, 9, 15))
    assert [(r.basis, r.kind) for r in found] == [("on Tuesday", "talks"), ("on Wednesday", "other")]
    alone = reports("On Wednesday the guns fell silent as talks went on.", dt.date(2016, 9, 15))
    assert [r.kind for r in alone] == ["talks"]  # one date: the sentence's words are its event's


def test_a_weekday_told_in_the_present_is_the_nearest_such_day():
    found = reports("They have struck a deal, starting with a truce that goes into effect on Monday.",
                    dt.date(2016, 9, 10))
    assert dt.date(2016, 9, 12) in [r.date for r in found] and dt.date(2016, 9, 5) not in [r.date for r in found]
