"""Publication dates: datelines first, else the earliest date consistent with the text's clues."""

import datetime as dt
from pathlib import Path

from app.extract.article import extract_article
from app.extract.published import inferred_range
from app.extract.types import KnownMeta
from app.store.seedfiles import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parent.parent / "seeds")


def published(text: str, source: str = "a.txt", known: KnownMeta | None = None):
    article = extract_article(text, source=source, catalog=CATALOG, known=known)
    return article.published, article.published_basis


def test_milestone_pins_a_weekday_and_truce_wording_pins_the_other():
    text = ("Truce frays in the north\n\n"
            "The truce took effect on Monday. Rebels violated the truce around Hama on Saturday, "
            "the ministry said.")
    day, basis = published(text)
    assert day == dt.date(2016, 9, 17)
    assert basis.startswith("inferred: Sat 17 Sep 2016")
    assert "presuming the truce in force" in basis


def test_relative_words_and_a_later_milestone():
    text = ("Aid agencies halted deliveries after the attack on the aid convoy near Aleppo. "
            "The ceasefire collapsed last week, and on Tuesday diplomats met again.")
    day, _ = published(text)
    # "last week" holds 19 Sept only from Mon 26 Sept on; the meeting "on Tuesday", told as past, makes
    # Tuesday 27 likelier than a Monday that would put it six days back.
    assert day == dt.date(2016, 9, 27)


def test_yesterday_naming_an_extension_pins_the_next_day():
    day, basis = published("Yesterday the truce was extended by another 72 hours, officials said.")
    assert day == dt.date(2016, 9, 17)
    assert "'Yesterday' is the day of the milestone Truce extended by a further 72 hours" in basis


def test_nothing_to_go_on_is_unknown():
    day, basis = published("Fighting went on in the east on Saturday, residents said.")
    assert day is None and "nothing in the text pins the date" in basis


def test_dateline_wins_and_published_beats_updated():
    text = "Updated: 21 September 2016\nPublished: Tuesday 20 September 2016\n\nThe convoy burned on Monday."
    day, basis = published(text)
    assert day == dt.date(2016, 9, 20) and basis.startswith("dateline 'Published:")


def test_day_first_numeric_dateline():
    day, _ = published("Truce strained\n20/09/2016\n\nThe convoy burned on Monday, witnesses said.")
    assert day == dt.date(2016, 9, 20)


def test_dates_lower_in_the_page_are_not_the_dateline():
    text = ("Truce news\n\nThe truce took effect on Monday and held on Tuesday, monitors said.\n\n"
            "Other stories\n\n3 March 2017\n\nA related story from another year.")
    day, _ = published(text)
    assert day != dt.date(2017, 3, 3)


def test_html_metadata_and_visible_dateline():
    page = ("<html><head><meta property='article:published_time' content='2016-09-22T10:00:00Z'></head>"
            "<body><p>The army announced an offensive on Aleppo on Thursday.</p></body></html>")
    assert published(page, "p.html")[0] == dt.date(2016, 9, 22)
    page_with_dateline = page.replace("<body>", "<body><p>21 September 2016</p>")
    day, basis = published(page_with_dateline, "p.html")
    assert day == dt.date(2016, 9, 21) and "metadata says 2016-09-22" in basis


def test_metadata_with_a_year_beats_a_dateline_without_one():
    story = "<p>The army announced an offensive on Aleppo on Thursday, and rebels said they would resist.</p>" * 4
    page = ("<html><head><meta property='article:published_time' content='2015-03-12T10:00:00Z'></head>"
            f"<body><article><p>March 14</p>{story}</article></body></html>")
    day, basis = published(page, "p.html")
    assert day == dt.date(2015, 3, 12) and "dateline without a year" in basis
    agreeing = page.replace("March 14", "March 12")
    assert published(agreeing, "p.html")[0].month == 3 and published(agreeing, "p.html")[0].day == 12


def test_json_ld_date_published_is_read():
    story = "<p>Officials said on Tuesday that the convoy had reached the town after a long delay.</p>" * 4
    page = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "headline": "Convoy arrives", "datePublished": "2016-09-20T09:30:00Z"}'
            f"</script></head><body><article>{story}</article></body></html>")
    assert published(page, "p.html")[0] == dt.date(2016, 9, 20)


def test_manifest_wins():
    day, basis = published("The truce took effect on Monday.", known=KnownMeta(published=dt.date(2016, 9, 13)))
    assert (day, basis) == (dt.date(2016, 9, 13), "manifest")


def test_wire_dateline_without_a_year():
    day, basis = published("BEIRUT, Sept 19 (Reuters) - The Syrian army said on Monday the truce was over.")
    assert day == dt.date(2016, 9, 19)
    assert "year 2016 from the timeline's frame" in basis


# --- several dates on the page: which one is the article's --------------------------------------

def test_a_date_widget_from_another_year_yields_to_the_story_date():
    text = ("Saturday, 3rd February 2029\n\nWorld | Middle East\n\nRebels and army trade fire\n\n"
            "20 September 2016 | 6:15 pm\n\n"
            "Rebels said on Tuesday the army had shelled two districts, days after the attack on the "
            "aid convoy on September 19, 2016.")
    day, basis = published(text)
    assert day == dt.date(2016, 9, 20)
    assert "passed over dateline 'Saturday, 3rd February 2029'" in basis


def test_a_widget_date_alone_stays_when_the_text_carries_no_dates():
    day, _ = published("Mon | Mar 4, 2019\n\nMarket news\n\nShares rose in early trading, dealers said.")
    assert day == dt.date(2019, 3, 4)


def test_a_place_dateline_beats_an_index_date_line():
    text = ("date 2016-09-15 BEIRUT, Sept 16 Syrian rebels\nsaid on Friday that aid lorries were still "
            "waiting at the border.")
    day, basis = published(text)
    assert day == dt.date(2016, 9, 16) and "BEIRUT" in basis


def test_a_wire_dateline_without_a_dash():
    day, _ = published("Truce holds\n\nDamascus, Sep 14 (AFP) The army said the night had been calm across "
                       "most of the country and that aid was being readied.")
    assert day == dt.date(2016, 9, 14)


def test_a_weekday_before_a_comma_is_not_a_place():
    text = "Aid convoy waits\n\nThursday, 15 September 2016\n\nLorries waited at the border, the UN said."
    day, basis = published(text)
    assert day == dt.date(2016, 9, 15) and basis == "dateline 'Thursday, 15 September 2016'"


def test_a_page_clock_the_text_rules_out_gives_way_to_inference():
    text = ("09:12 GMT 14 March 2019\n\nConvoy attack\n\n"
            "The aid convoy was attacked on Monday near Aleppo, and yesterday the army declared the truce over, "
            "officials said. The truce took effect on Monday last week.")
    day, basis = published(text)
    assert day is not None and day.year == 2016
    assert "passed over dateline '09:12 GMT 14 March 2019'" in basis


def test_a_dateline_without_a_year_takes_the_metadata_year_a_day_apart():
    story = "<p>The city council met on Tuesday to discuss the new bus routes, members said.</p>" * 4
    page = ("<html><head><meta property='article:published_time' content='2021-06-11T01:00:00Z'></head>"
            f"<body><article><p>LISBON, Jun 10 (Lusa) - Councillors argued late into the night.</p>{story}"
            "</article></body></html>")
    day, basis = published(page, "p.html")
    assert day == dt.date(2021, 6, 10) and "year 2021 from the page metadata" in basis


# --- inference: the likeliest day, and the range that fits ---------------------------------------

def test_a_blog_about_three_weekdays_is_dated_on_the_last_of_them():
    text = ("Notes from the week\n\n"
            "On Monday the army shelled the eastern districts. On Tuesday an aid convoy waited at the "
            "border. On Wednesday rebels fired rockets into the west of the city, after the attack on "
            "the aid convoy near Aleppo.")
    day, basis = published(text)
    assert day == dt.date(2016, 9, 21)  # Wednesday: Monday and Tuesday stay in the same week
    assert "published Mon 19 – Fri 23 Sep" not in basis and "(inferred from" in basis


def test_a_present_tense_clause_pins_its_weekday():
    text = ("Ministers meet again\n\n"
            "The foreign ministers are holding talks on Thursday in New York. On Monday the aid convoy "
            "was attacked near Aleppo, the UN said.")
    day, _ = published(text)
    assert day == dt.date(2016, 9, 22)


def test_a_scheduled_start_told_in_the_present_comes_on_or_after_publication():
    text = ("Deal struck in Geneva\n\n"
            "A nationwide truce takes effect on Monday at sundown. Kerry and Lavrov struck the deal last night "
            "after talks that ran past midnight.")
    day, basis = published(text)
    assert day == dt.date(2016, 9, 10)  # the day after the deal; Monday is still to come
    assert "not consistent" not in basis


def test_the_end_of_a_stated_period_is_not_reported_as_past():
    text = ("The army announced a seven-day truce starting on September 12, 2016 and lasting until 23:59 on "
            "September 18, 2016. Hours later, rebels fired on a district of Aleppo, a military source said.")
    day, _ = published(text)
    assert day == dt.date(2016, 9, 12)


def test_the_basis_shows_the_range_of_days_that_fit():
    day, basis = published("The truce took effect on Monday. Two days later, the aid convoy was still waiting, "
                           "after the truce took effect.")
    assert day is not None
    assert basis.startswith(f"inferred: {day:%a} {day.day} Sep 2016; published ")
    assert "(inferred from " in basis


def test_the_range_reads_back_from_the_basis():
    basis = ("inferred: Tue 20 Sep 2016; published Mon 19 – Wed 21 Sep (inferred from 5 of 5 clues); "
             "it is pinned by x")
    assert inferred_range(basis, dt.date(2016, 9, 20)) == (dt.date(2016, 9, 19), dt.date(2016, 9, 21))
    across = "inferred: Fri 30 Sep 2016; published Fri 30 Sep – Sun 2 Oct (inferred from 2 of 3 clues)"
    assert inferred_range(across, dt.date(2016, 9, 30)) == (dt.date(2016, 9, 30), dt.date(2016, 10, 2))
    assert inferred_range("dateline 'Sept 20'", dt.date(2016, 9, 20)) is None


def test_an_inferred_publication_is_said_by_the_article_not_by_each_report():
    text = ("Truce frays in the north\n\n"
            "The truce took effect on Monday. Rebels violated the truce around Hama on Saturday, "
            "the ministry said.")
    article = extract_article(text, source="a.txt", catalog=CATALOG)
    [saturday] = [r for r in article.reports if r.basis == "on Saturday"]
    # The pages say how the publication date was known once per article (its basis), not on every card.
    assert article.published_basis.startswith("inferred: Sat 17 Sep 2016")
    assert "inferred" not in saturday.reasoning and saturday.reasoning.startswith("“on Saturday” is the last Saturday")
    dated = extract_article("Truce frays\n\nSeptember 17, 2016\n\n" + text.split("\n\n", 1)[1],
                            source="b.txt", catalog=CATALOG)
    assert not any("is inferred" in (r.reasoning or "") for r in dated.reports)


def test_a_headline_told_in_the_present_is_about_the_past():
    from app.extract.clues import mentions
    from app.extract.sentences import analyse
    text = ("Aid lorries reach the besieged east on Tuesday\n\n"
            "The foreign ministers are meeting on Friday in Vienna, officials said.")
    found = {m.expr.text: m.present for m in mentions(analyse(text, CATALOG))}
    assert found == {"on Tuesday": False, "on Friday": True}


def test_a_weekday_opening_the_story_is_not_a_place_dateline():
    text = ("Truce ends\n\nOn Monday, Sept 19, the army declared the seven-day truce over and said it would "
            "resume operations across the country.")
    _, basis = published(text)
    assert "dateline" not in basis


def test_an_ambiguous_numeric_date_is_read_the_way_the_text_bears_out():
    story = ("\n\nThe truce took effect on Monday, and on Thursday the army said rebels had broken it, "
             "a day after the convoy waited at the border on September 14, 2016.")
    day_first, _ = published("Truce strained\n\n15/09/2016" + story)
    assert day_first == dt.date(2016, 9, 15)
    month_first, _ = published("Truce strained\n\n09/15/2016" + story)
    assert month_first == dt.date(2016, 9, 15)
    # Both readings possible: 9 October day-first, 10 September month-first; the text is about mid-September.
    us_style, basis = published("Deal struck\n\n09/10/2016\n\nKerry and Lavrov struck the deal last night in "
                                "Geneva, and the truce is set to begin on Monday, September 12, 2016.")
    assert us_style == dt.date(2016, 9, 10) and "read month first" in basis
    uk_style, basis = published("Deal struck\n\n10/09/2016\n\nKerry and Lavrov struck the deal last night in "
                                "Geneva, and the truce is set to begin on Monday, September 12, 2016.")
    assert uk_style == dt.date(2016, 9, 10) and "read month first" not in basis


def test_a_weekday_beside_a_numeric_date_settles_its_reading():
    text = ("Deal struck\n\nSunday 11/09/2016\n\nThe truce takes effect on Monday, and on Thursday the army "
            "said rebels had broken it near the border on November 20, 2016 and October 30, 2016.")
    day, basis = published(text)
    assert day == dt.date(2016, 9, 11) and "read month first" not in basis
    day, basis = published(text.replace("Sunday", "Wednesday"))
    assert day == dt.date(2016, 11, 9) and "read month first" in basis


def test_a_background_weekday_does_not_pull_the_date_past_the_latest_event():
    text = ("Convoy hit\n\nAid workers said on Friday that the lorries were loaded. The convoy was attacked "
            "on September 19, 2016, near Aleppo, the Red Crescent said.")
    day, _ = published(text)
    assert day == dt.date(2016, 9, 19)  # not Friday 23: that would leave the attack four days old


def test_a_story_of_another_year_keeps_its_dateline_despite_chance_milestone_phrases():
    text = ("Gaza truce\n\nOctober 30, 2023\n\n"
            "The truce took effect on Monday, a week after the aid convoy was attacked on Monday near the "
            "crossing, and yesterday the army declared the truce over. The fighting began on October 7, 2023.")
    day, basis = published(text)
    assert day == dt.date(2023, 10, 30), basis


def test_page_metadata_years_from_a_story_about_the_frame_gives_way_to_inference():
    story = ("<p>The aid convoy was attacked on September 19, 2016, near Aleppo, and on Tuesday the UN "
             "suspended all deliveries, officials said.</p>") * 3
    page = ("<html><head><meta property='article:published_time' content='2019-05-01T10:00:00Z'></head>"
            f"<body><article>{story}</article></body></html>")
    day, basis = published(page, "p.html")
    assert day == dt.date(2016, 9, 20)
    assert "passed over page metadata '2019-05-01" in basis


def test_page_metadata_stays_for_a_story_outside_the_frame():
    story = ("<p>The council approved the budget on March 3, 2021, and on Tuesday the mayor signed it, "
             "officials said.</p>") * 3
    page = ("<html><head><meta property='article:published_time' content='2019-05-01T10:00:00Z'></head>"
            f"<body><article>{story}</article></body></html>")
    assert published(page, "p.html")[0] == dt.date(2019, 5, 1)


def test_a_truce_set_to_start_on_a_weekday_is_the_nearest_one_to_publication():
    text = ("Diplomats said a nationwide truce starting on Monday would let aid in. The two ministers sealed the "
            "deal late last night in Geneva.")
    day, basis = published(text)
    assert day == dt.date(2016, 9, 10), basis  # "last night" is the 9th; the Monday after it is the 12th


STORY = ("Government troops and rebels accused each other of breaking the truce, and aid lorries waited at the "
         "border crossing for a second day.\n\nMonitors counted a dozen violations overnight.")


def test_a_timestamp_line_is_a_dateline():
    for stamp in ("2016-09-20T07:45:00Z", "2016-09-20T07:45:00.000+03:00", "2016/09/20", "2016-09-20 07:45"):
        day, basis = published(f"Lorries wait at the border\n{stamp}\n\n{STORY}")
        assert day == dt.date(2016, 9, 20) and basis == f"dateline '{stamp}'", stamp


def test_a_time_of_day_between_a_label_and_its_date_keeps_the_label():
    for line in ("Updated 0415 GMT (1215 HKT) September 20, 2016", "Posted 10:32 am ET, Sept. 20, 2016",
                 "Last updated 18h05 CEST 20 September 2016"):
        day, basis = published(f"Lorries wait at the border\n{line}\n\n{STORY}")
        assert day == dt.date(2016, 9, 20) and basis == f"dateline '{line}'", line


def test_a_labelled_date_under_the_story_counts_when_there_is_none_above():
    for footer in ("Published: 20/09/2016", "This report was first published on 20 September 2016.",
                   "Posted on September 20, 2016"):
        day, basis = published(f"Lorries wait at the border\n\n{STORY}\n\n{footer}")
        assert day == dt.date(2016, 9, 20) and "inferred" not in basis, footer


def test_an_unlabelled_or_far_date_under_the_story_is_not_the_pages():
    # A date line under the story with no label is the story's own matter (a related link, a caption).
    day, basis = published(f"Lorries wait at the border\n\n{STORY}\n\n17 March 2019")
    assert basis.startswith("inferred") and day != dt.date(2019, 3, 17)
    # A reader's comment years later, though labelled, is no publication date of a story about the truce.
    day, basis = published(f"Lorries wait at the border\n\n{STORY}\n\nPosted on March 3, 2019 by a reader")
    assert day != dt.date(2019, 3, 3)


def test_a_site_headers_date_of_another_year_yields_to_the_storys():
    text = f"Thursday, 14 March 2024\nHome | World | Middle East\n\nLorries wait at the border\n20 Sept 2016\n\n{STORY}"
    day, basis = published(text)
    assert day == dt.date(2016, 9, 20) and basis.startswith("dateline '20 Sept 2016'")
    # On its own, a date of another year stands: a later look back at the truce is dated as published.
    day, _ = published(f"Lorries waited at the border\n14 March 2024\n\n{STORY}")
    assert day == dt.date(2024, 3, 14)


def test_the_site_s_own_history_is_no_clue_to_the_story_s_day():
    text = ("Truce holds\n\nThe truce took effect on Monday. Rebels violated the truce around Hama on Saturday, "
            "the ministry said.\n\nWhile we paused regular publication on May 15, 2018, our archive stays online.")
    day, basis = published(text)
    assert day is not None and day.year == 2016
    assert "May 15, 2018" not in basis
