"""A day's reports as events: grouping, cards, speakers and the publication note (pure, no database)."""

from __future__ import annotations

from app.extract.types import KINDS
from app.queries.compare import figure_owner
from app.queries.daygroups import (
    KIND_LABELS,
    full_speaker_names,
    group_events,
    kind_label,
    publication_note,
    sentence_cards,
)
from app.queries.pagedata import OutletRef, ReportItem, WireStory

ids = iter(range(1, 10_000))


def item(outlet: str, kind: str = "statement", milestone: str | None = None, speaker: str | None = None,
         article: int = 1, span: tuple[int, int] | None = None, quote: str = "Words.") -> ReportItem:
    n = next(ids)
    start, end = span or (n * 100, n * 100 + 50)
    return ReportItem(
        source=f"{outlet}-{article}.txt", outlet=outlet.title(), date="2016-09-20", precision="day", kind=kind,
        milestone=milestone, basis="on Tuesday", reasoning="“on Tuesday” is the last Tuesday up to publication.",
        quote=quote, span=[start, end], speaker=speaker, article_id=article, id=n, outlet_slug=outlet,
        milestone_title=milestone.replace("-", " ").capitalize() if milestone else None,
        article_title=f"Story {article}", published="2016-09-20", published_basis="dateline 'Sept 20, 2016'",
    )


def test_reports_of_one_milestone_make_one_block_with_each_outlet_beside_the_others():
    reports = [item("tass", milestone="convoy-attack", article=1), item("bbc", milestone="convoy-attack", article=2),
               item("bbc", kind="violation_claim", speaker="Ann Lee", article=2),
               item("tass", milestone="convoy-attack", article=1)]
    [convoy, claim] = group_events(reports, ["convoy-attack"])
    assert convoy.milestone == "convoy-attack" and convoy.title == "Convoy attack"
    assert [o.outlet.slug for o in convoy.outlets if o.outlet] == ["bbc", "tass"]  # by name, side by side
    assert convoy.reports == 3 and [o.reports for o in convoy.outlets] == [1, 2]
    tass = convoy.outlets[1]
    assert len(tass.articles) == 1 and len(tass.articles[0].cards) == 2  # one article, said once
    assert claim.title == "Violation claim · Ann Lee" and claim.speaker == "Ann Lee"


def test_one_kind_from_two_speakers_is_two_events_and_the_day_milestones_lead():
    reports = [item("rt", kind="statement", speaker="Maria Ortiz"), item("rt", kind="statement", speaker="Li Wei"),
               item("ap", kind="statement", speaker="Li Wei", article=3),
               item("rt", milestone="talks-suspended"), item("rt", milestone="offensive-begins")]
    groups = group_events(reports, ["offensive-begins", "talks-suspended"])
    assert [g.key for g in groups] == [
        "milestone:offensive-begins", "milestone:talks-suspended",
        "kind:statement:Li Wei",  # told by two outlets: before the one told by one
        "kind:statement:Maria Ortiz",
    ]


def test_the_same_sentence_dated_twice_is_one_card_filed_by_its_milestone():
    sentence = dict(article=4, span=(10, 90), quote="On Monday the truce was extended, as agreed last week.")
    reports = [item("afp", kind="other", **sentence), item("afp", milestone="first-extension", **sentence),
               item("afp", kind="statement", article=4, span=(100, 140))]
    cards = sentence_cards(reports)
    assert [len(c.reports) for c in cards] == [2, 1]
    groups = group_events(reports)
    assert groups[0].milestone == "first-extension" and groups[0].cards == 1 and groups[0].reports == 2


def test_a_surname_or_first_name_alone_joins_the_full_name_on_the_page():
    names = full_speaker_names(["Putin", "Vladimir Putin", "Vladimir", "Lavrov", "Ban Ki-moon", "Ban"])
    assert names["Putin"] == names["Vladimir"] == "Vladimir Putin"
    assert names["Lavrov"] == "Lavrov" and names["Ban"] == "Ban Ki-moon"
    # Two people who share a surname: the surname alone is left as it is, not given to either.
    assert full_speaker_names(["Smith", "Anna Smith", "John Smith"])["Smith"] == "Smith"
    reports = [item("rt", speaker="Putin"), item("tass", speaker="Vladimir Putin", article=2)]
    [group] = group_events(reports)
    assert group.title == "Statement · Vladimir Putin" and len(group.outlets) == 2


def test_the_publication_note_says_how_the_date_was_known_in_one_sentence():
    assert publication_note("2016-09-18", "dateline '18 Sep, 2016 21:09'") == (
        "Published Sun 18 Sep 2016, by its dateline “18 Sep, 2016 21:09”.")
    assert publication_note("2016-09-20", "page metadata '2016-09-20T08:00:00Z'") == (
        "Published Tue 20 Sep 2016, by the date in the page's metadata, “2016-09-20T08:00:00Z”.")
    inferred = publication_note("2016-09-26", "inferred: Mon 26 Sep 2016; published Mon 26 – Wed 28 Sep "
                                              "(inferred from 5 of 6 clues); it is pinned by ...")
    assert inferred.startswith("Published Mon 26 Sep 2016 at the likeliest")
    assert "5 of its 6 clues" in inferred and "from Mon 26 Sep 2016 to Wed 28 Sep 2016" in inferred
    single = publication_note("2016-09-15",
                              "inferred: Thu 15 Sep 2016; published Thu 15 Sep (inferred from 3 of 3 clues)")
    assert single.endswith("they fit that day alone.")
    assert publication_note(None, "no dateline, and nothing in the text pins the date").startswith(
        "Its publication date is not known")


def test_a_figure_belongs_to_the_report_whose_words_stand_nearest_it():
    quote = ("Moscow extended the truce by 48 hours on Wednesday, and on Friday it was prolonged for another "
             "72 hours, a spokesman said.")
    bases = ["on Wednesday", "on Friday"]  # the first extension's report, then the second's
    assert figure_owner("48 hours", quote, bases) == 0
    assert figure_owner("72 hours", quote, bases) == 1
    other = ("After a second extension of 72 hours yesterday, the first one of 48 hours agreed on Monday was "
             "all but forgotten.")
    assert figure_owner("72 hours", other, ["on Monday", "yesterday"]) == 1
    assert figure_owner("48 hours", other, ["on Monday", "yesterday"]) == 0
    # Words the sentence does not hold (a report dated by publication) never take a figure from one that does.
    assert figure_owner("five days", "For five days the guns fell silent.", ["publication date", "For five days"]) == 1
    assert figure_owner("ten", "Quiet.", ["on Monday"]) == 0  # the figure's words not found: the first report


def test_every_kind_has_a_reader_facing_label_and_an_unlisted_kind_is_spelled_from_its_name():
    assert set(KIND_LABELS) == set(KINDS)
    assert kind_label("airstrike_deir_ezzor") == "Airstrike near Deir ez-Zor"
    assert kind_label("un_security_council") == "UN Security Council"
    assert kind_label("ground_offensive") == "Ground offensive"


def test_a_block_counts_a_wire_story_its_hosts_carried_as_one_outlet():
    reports = [item("gulf-news", milestone="convoy-attack", article=1),
               item("straits-times", milestone="convoy-attack", article=2),
               item("tass", milestone="convoy-attack", article=3),
               item("gulf-news", kind="violation_claim", article=4)]
    story = WireStory(OutletRef("afp", "AFP"), [OutletRef("gulf-news", "Gulf News"),
                                                OutletRef("straits-times", "Straits Times")], [1, 2], story=7)
    [convoy, claim] = group_events(reports, ["convoy-attack"], [story])
    assert len(convoy.outlets) == 3  # each host keeps its column
    assert (convoy.told_by, convoy.carried) == (2, 1)  # the story once, and TASS
    assert (claim.told_by, claim.carried) == (1, 0)  # the host's own article is the host's
    [alone] = group_events(reports[:3], ["convoy-attack"])
    assert (alone.told_by, alone.carried) == (3, 0)  # without the story, three hosts
