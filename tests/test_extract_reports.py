"""The reports sentences carry, on short texts written for these tests: dates set ahead, phrases that
share one time expression, and the milestone a plain mention is about."""

import datetime as dt
from pathlib import Path

import pytest

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


def test_a_morning_of_the_truce_counts_from_the_hour_the_catalogue_says_it_began():
    found = reports("Aid convoys were still stuck on the fourth morning of the cease-fire, AFP reported.",
                    dt.date(2016, 9, 17))
    assert [r.date for r in found] == [dt.date(2016, 9, 16)]
    assert "began at 19:00" in found[0].reasoning


def test_when_a_state_began_is_no_report_beside_the_day_it_is_told():
    text = ("Two UN convoys had remained blocked at the border since early last week, a UN spokesman said on "
            "Monday.")
    assert [(r.basis, r.date) for r in reports(text, dt.date(2016, 9, 19))] == [("on Monday", dt.date(2016, 9, 19))]


def test_when_a_state_began_is_its_report_when_nothing_else_dates_the_sentence():
    found = reports("Aid trucks have been stuck at the crossing since Tuesday.", dt.date(2016, 9, 16))
    assert [(r.basis, r.date) for r in found] == [("since Tuesday", dt.date(2016, 9, 13))]


def test_a_sentence_going_on_from_the_last_takes_the_day_it_gave_not_a_milestone_it_only_mentioned():
    text = ("On Tuesday rebels shelled the old city; the deal struck by Kerry and Lavrov looked fragile. "
            "Two civilians were killed near the market.")
    found = reports(text, dt.date(2016, 9, 21))
    assert [r.date for r in found if r.basis == "the previous sentence"] == [dt.date(2016, 9, 20)]


def test_the_same_day_with_no_day_told_before_it_is_the_day_of_publication():
    text = "The same day Moscow said it would suspend a separate arms accord.\n\nWashington cut contacts on Monday."
    found = reports(text, dt.date(2016, 10, 3))
    assert [(r.basis, r.date) for r in found][0] == ("The same day", dt.date(2016, 10, 3))


@pytest.mark.parametrize("text, published, day, words", [
    ("Bombs rained down on eastern Aleppo hours after Syria's army declared the truce over.", 20, 19, "hours after"),
    ("Fighting flared in Hama just hours after the cessation of hostilities took effect, activists said.", 14, 12,
     "just hours after"),
    ("Rebels shelled the airport a day after coalition jets bombed Syrian army positions near Deir ez-Zor.", 19, 18,
     "a day after"),
    ("Kerry phoned Lavrov two days before the truce took effect.", 14, 10, "two days before"),
    ("The UN halted deliveries shortly after the aid convoy was attacked near Aleppo.", 21, 19, "shortly after"),
])
def test_an_event_told_hours_or_days_from_a_milestone_is_dated_from_it(text, published, day, words):
    found = [r for r in reports(text, dt.date(2016, 9, published)) if r.basis == words]
    assert [r.date for r in found] == [dt.date(2016, 9, day)]


def test_after_a_milestone_the_sentence_s_own_milestone_keeps_its_day():
    # "Two days after the deal was struck, the truce took effect": the start is 12 Sept, not the deal's day + 2.
    found = reports("The truce took effect two days after the deal was struck in Geneva.", dt.date(2016, 9, 14))
    assert not [r for r in found if r.basis == "two days after"]
    assert {(r.milestone, r.date) for r in found} >= {("truce-begins", dt.date(2016, 9, 12))}


def test_a_dated_sentence_is_not_dated_again_from_the_milestone_it_follows():
    found = reports("The convoy was hit on Monday, hours after the army declared the truce over.", dt.date(2016, 9, 20))
    assert not [r for r in found if r.basis == "hours after"]


def test_a_plan_beside_a_past_event_the_sentence_dates_is_no_report_of_its_own():
    text = ("On Tuesday, the envoy told reporters after talks at the UN that the contact group would meet again "
            "on Friday.")
    assert [(r.basis, r.date) for r in reports(text, dt.date(2016, 9, 21))] == [("On Tuesday", dt.date(2016, 9, 20))]


def test_a_plan_beside_a_bare_saying_is_what_the_sentence_tells():
    text = "A French diplomat said on Wednesday that the ministers' next session would take place on Thursday."
    found = reports(text, dt.date(2016, 9, 21))
    assert (("on Thursday", dt.date(2016, 9, 22)) in [(r.basis, r.date) for r in found])


def test_a_milestone_set_ahead_beside_past_news_stays():
    text = "Kerry and Lavrov agreed the plan on Friday, and the truce will take effect at sundown on Monday."
    found = {(r.milestone, r.date) for r in reports(text, dt.date(2016, 9, 10))}
    assert ("truce-begins", dt.date(2016, 9, 12)) in found


@pytest.mark.parametrize("text, day", [
    ("The army declared the truce over on Monday. A day later the UN suspended aid.", 20),
    ("The army declared the truce over on Monday. The next day the UN suspended all convoys.", 20),
    ("Jets hit the convoy on Monday. The previous day the army had shelled Hama, activists said.", 18),
    ("The truce began on Monday, September 12. Two days later aid still waited at the border.", 14),
])
def test_a_day_counted_from_the_day_just_told(text, day):
    found = reports(text, dt.date(2016, 9, 21))
    assert found[-1].date == dt.date(2016, 9, day), [(r.basis, r.date) for r in found]


def test_days_before_an_event_named_after_them_are_no_day_counted_from_the_text():
    assert not reports("Lavrov arrived two days before the talks.", dt.date(2016, 9, 21))


def test_this_past_weekend_told_on_a_weekday_is_the_one_just_gone():
    found = reports("Rebels shelled Hama this past weekend.", dt.date(2016, 9, 20))
    assert [r.date for r in found] == [dt.date(2016, 9, 17)]


def test_a_short_full_sentence_with_its_date_is_no_dateline():
    found = reports("The convoy was attacked on Monday 19 September.", dt.date(2016, 9, 20))
    assert [(r.date, r.kind) for r in found] == [(dt.date(2016, 9, 19), "convoy_attack")]
    assert not reports("Published: Tuesday 20 September 2016.", dt.date(2016, 9, 20))
