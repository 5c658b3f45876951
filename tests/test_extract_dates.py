"""Finding time expressions and resolving them against a publication date (sentences written for
these tests, in many styles)."""

import datetime as dt

import pytest

from app.extract.resolve import resolve
from app.extract.timex import find_expressions

TRUCE_START = dt.date(2016, 9, 12)
SUN_18 = dt.date(2016, 9, 18)
SAT_17 = dt.date(2016, 9, 17)


def only(sentence: str):
    found = find_expressions(sentence)
    assert len(found) == 1, [e.text for e in found]
    return found[0]


def resolved(sentence: str, anchor=SUN_18, future=False):
    return resolve(only(sentence), anchor, truce_start=TRUCE_START, future=future, default_year=2016)


@pytest.mark.parametrize("sentence, expected", [
    ("Rebels shelled the western districts on Saturday.", dt.date(2016, 9, 17)),
    ("The minister spoke on Sunday.", dt.date(2016, 9, 18)),  # same day as publication
    ("Monitors said Wednesday that violence had fallen.", dt.date(2016, 9, 14)),
    ("Late Friday night the first trucks moved.", dt.date(2016, 9, 16)),
    ("Officials met last Sunday in Geneva.", dt.date(2016, 9, 11)),  # "last" skips today
    ("Yesterday the envoy called for calm.", dt.date(2016, 9, 17)),
    ("The convoy was waiting at the crossing this morning.", SUN_18),
    ("The army reported two incidents the day before yesterday.", dt.date(2016, 9, 16)),
    ("Three days ago the council convened.", dt.date(2016, 9, 15)),
    ("The agreement of 9 September set the terms.", dt.date(2016, 9, 9)),
    ("The agreement of Sept. 9 set the terms.", dt.date(2016, 9, 9)),
    ("On 2016-09-19 the convoy was hit.", dt.date(2016, 9, 19)),
    ("The statement dated 19/09/2016 was read out.", dt.date(2016, 9, 19)),
    ("The statement dated 09/19/2016 was read out.", dt.date(2016, 9, 19)),  # month-first, unambiguous
    ("The truce entered its fourth day of the truce quietly.", dt.date(2016, 9, 15)),
    ("By day 3 of the ceasefire the roads were open.", dt.date(2016, 9, 14)),
    ("After two days of the truce, aid had not moved.", dt.date(2016, 9, 14)),
])
def test_day_expressions_resolve(sentence, expected):
    result = resolved(sentence)
    assert (result.date, result.precision) == (expected, "day")


def test_same_day_weekday_is_not_sent_back_a_week():
    # The dateparser pitfall: PREFER_DATES_FROM='past' turns a same-day "on Saturday" into 10 Sept.
    assert resolved("The strike hit on Saturday.", anchor=SAT_17).date == SAT_17


def test_future_weekday_goes_forward():
    assert resolved("Ministers will meet on Tuesday.", future=True).date == dt.date(2016, 9, 20)


def test_last_week_is_a_week_range():
    result = resolved("The deal was reached last week.")
    assert result.precision == "week"
    assert (result.first, result.last) == (dt.date(2016, 9, 5), dt.date(2016, 9, 11))
    assert result.contains(dt.date(2016, 9, 9))


def test_earlier_this_week_stops_before_publication():
    result = resolved("Violations were reported earlier this week.", anchor=dt.date(2016, 9, 15))
    assert (result.first, result.last) == (dt.date(2016, 9, 12), dt.date(2016, 9, 14))


def test_month_without_year_is_the_latest_past_one():
    result = resolved("A similar truce in February failed.")
    assert (result.date, result.precision) == (dt.date(2016, 2, 1), "month")


def test_month_day_after_publication_belongs_to_last_year():
    assert resolved("It was signed on December 3.").date == dt.date(2015, 12, 3)


def test_last_24_hours_ends_at_publication():
    result = resolved("Twelve violations were recorded over the past 24 hours.")
    assert result.date == SUN_18 and result.first == SAT_17


def test_relative_words_need_a_publication_date():
    result = resolved("It happened on Saturday.", anchor=None)
    assert result.date is None and result.precision == "unknown"
    assert "publication date" in result.reasoning


def test_reasoning_explains_the_weekday():
    assert resolved("Shelling resumed on Saturday.").reasoning == (
        "“on Saturday” is the last Saturday up to publication (Sun 18 Sep 2016)")


@pytest.mark.parametrize("sentence", [
    "We said we would wait.",  # "we" is not Wednesday
    "The 72-hour truce holds.",  # not 1972
    "The pause will last five days.",  # a duration, not a date
    "It was extended by 48 hours.",
    "The war has killed 300,000 people since March 2011.",  # background
    "The site's archive covers 2005 -2017.",
    "Aid convoys may march on.",  # "may"/"march" are verbs here
])
def test_not_dates(sentence):
    assert find_expressions(sentence) == []


def test_several_expressions_in_one_sentence_in_order():
    found = find_expressions("Signed on September 9, it took effect on Monday and was extended on Wednesday.")
    assert [e.text for e in found] == ["September 9", "on Monday", "on Wednesday"]


# -- the gates that spare most sentences most patterns ----------------------------------------------


def ungated_expressions(sentence: str) -> list[tuple[str, str, int]]:
    """What find_expressions would give if every pattern ran on every sentence."""
    from app.extract import timex

    taken, found = [], []
    for kind, pattern in timex.PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if kind == "numeric_date" and not timex._plausible_numeric(match):
                continue
            taken.append((start, end))
            found.append((kind, match.group(0).strip(), start))
    return sorted((f for f in found if f[0] != "background"), key=lambda f: f[2])


def test_the_gates_never_hide_an_expression():
    from pathlib import Path

    from app.extract.text import clean_text, split_sentences

    folder = Path(__file__).parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((folder / "articles").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((folder.parent / "seeds").glob("*.txt"))]
    sentences = [text[a:b] for text in map(clean_text, texts) for a, b in split_sentences(text)]
    sentences += ["Since 2011 the war has gone on.", "Filed 2016-09-19 08:30 GMT.", "On 19/09/2016 it ended.",
                  "In the last 48 hours, 3 days ago.", "Sept. 19, in the evening, tonight."]
    assert len(sentences) > 250
    for sentence in sentences:
        assert [(e.kind, e.text, e.start) for e in find_expressions(sentence)] == ungated_expressions(sentence)


SAT_10 = dt.date(2016, 9, 10)
WED_14 = dt.date(2016, 9, 14)


def scheduled(sentence: str, anchor: dt.date):
    return resolve(only(sentence), anchor, truce_start=TRUCE_START, scheduled=True, default_year=2016)


@pytest.mark.parametrize("sentence, anchor, expected", [
    ("A nationwide truce effective from sundown on Monday.", SAT_10, dt.date(2016, 9, 12)),  # two days on
    ("The truce starting on Monday has mostly held.", WED_14, dt.date(2016, 9, 12)),  # two days back
    ("The pause is due to expire on Wednesday.", WED_14, WED_14),  # the same day
    ("The truce runs until Friday.", SUN_18, dt.date(2016, 9, 16)),
])
def test_a_set_time_is_the_nearest_such_day(sentence, anchor, expected):
    result = scheduled(sentence, anchor)
    assert result.date == expected, result.reasoning
    assert "nearest" in result.reasoning


def test_a_set_time_said_last_is_still_last():
    assert scheduled("It started last Monday.", SAT_10).date == dt.date(2016, 9, 5)  # not the coming one


def test_future_weekday_on_that_very_day_is_that_day():
    tuesday = dt.date(2016, 9, 20)
    result = resolved("Ministers will meet later on Tuesday.", anchor=tuesday, future=True)
    assert result.date == tuesday, result.reasoning
    assert resolved("They meet again next Tuesday.", anchor=tuesday, future=True).date == dt.date(2016, 9, 27)


def test_days_ago_is_a_day_however_many():
    result = resolved("The deal was struck ten days ago.")
    assert (result.date, result.precision) == (dt.date(2016, 9, 8), "day")


def test_weeks_ago_is_about_then():
    result = resolved("Talks began two weeks ago.")
    assert result.precision == "week"
    assert result.contains(dt.date(2016, 9, 4)) and result.contains(dt.date(2016, 9, 6))
    assert not result.contains(dt.date(2016, 9, 12))


def test_last_month_is_the_month_before_publication():
    result = resolved("Its terms were agreed last month.", anchor=dt.date(2016, 10, 3))
    assert (result.first, result.last, result.precision) == (dt.date(2016, 9, 1), dt.date(2016, 9, 30), "month")


def test_the_weekend_told_on_a_weekday_is_the_one_before():
    monday = dt.date(2016, 9, 19)
    result = resolved("The weekend strike killed dozens of soldiers.", anchor=monday)
    assert (result.first, result.last) == (dt.date(2016, 9, 17), dt.date(2016, 9, 18))


def test_the_same_day_is_found_but_not_dated_by_publication():
    result = resolved("The same day the envoy flew to Geneva.")
    assert result.date is None and "told just before" in result.reasoning


SUNDOWN = dt.time(19)  # the hour the catalogue says the truce began on its first day


@pytest.mark.parametrize("sentence, expected", [
    # Begun at sundown on Mon 12: its first morning was Tuesday's, its first night Monday's.
    ("Relief lorries sat idle at the crossing on the fourth morning of the cease-fire.", dt.date(2016, 9, 16)),
    ("The first morning of the truce brought an eerie calm to Idlib.", dt.date(2016, 9, 13)),
    ("On the second night of the truce, residents slept without the sound of jets.", dt.date(2016, 9, 13)),
    ("On the truce's fifth day, convoys were still stuck.", dt.date(2016, 9, 16)),
    ("By the third full day of the ceasefire no aid had arrived.", dt.date(2016, 9, 15)),  # 13 Sept the first
    ("The first full day of the truce passed calmly in Idlib.", dt.date(2016, 9, 13)),
    ("Shelling resumed on the first afternoon of the Syrian ceasefire, activists said.", dt.date(2016, 9, 13)),
    ("The ceasefire's second evening passed quietly.", dt.date(2016, 9, 13)),
    ("Night two of the cease fire was the quietest in months.", dt.date(2016, 9, 13)),
])
def test_a_truce_s_mornings_and_nights_count_from_the_hour_it_began(sentence, expected):
    result = resolve(only(sentence), SUN_18, truce_start=TRUCE_START, truce_began_at=SUNDOWN, default_year=2016)
    assert result.date == expected, result.reasoning


def test_a_truce_begun_at_dawn_has_its_first_morning_on_its_first_day():
    result = resolve(only("On the third morning of the truce the guns were silent."), SUN_18,
                     truce_start=TRUCE_START, truce_began_at=dt.time(5), default_year=2016)
    assert result.date == dt.date(2016, 9, 14)


def test_a_morning_that_is_no_truce_s_is_no_date():
    assert not find_expressions("On the fourth morning of the trip the team reached Homs.")
