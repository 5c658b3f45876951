"""Each timeline row's headline: the clause taken from a quote (pure), and the day's most-told event (queries)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.queries import timeline
from app.queries.headlines import event_words, quoted_line
from app.queries.pagedata import Window
from app.store.counts import rebuild_counts
from app.store.models import Article, Milestone, Outlet, Report

WINDOW = Window(dt.date(2016, 9, 1), dt.date(2016, 10, 31))

# -- the words (sentences written for these tests) ----------------------------------------------


@pytest.mark.parametrize(("quote", "words"), [
    # a plain sentence is its own headline
    ("Rebels shelled the western districts overnight.", "Rebels shelled the western districts overnight"),
    # the attribution after a comma is who spoke, not what happened
    ('"Aid trucks are waiting at the border crossing," the minister told reporters.',
     "Aid trucks are waiting at the border crossing…"),
    # a short opening ('On Tuesday') is passed over for the clause that tells the event
    ("On Tuesday, the envoy said talks would resume in Vienna next week.",
     "…the envoy said talks would resume in Vienna next week"),
    # a leading 'Meanwhile' is a link to the sentence before, not the event's words
    ("Meanwhile the monitors counted forty breaches of the agreement in two provinces.",
     "…the monitors counted forty breaches of the agreement in two provinces"),
    # a long clause is cut at a word, never inside one, and the cut is marked
    ("The coalition confirmed that its aircraft had struck positions held by government troops near the "
     "airport in the east of the country.",
     "The coalition confirmed that its aircraft had struck positions held by government troops near…"),
    # a second sentence in the quote is left out, and says so
    ("We asked for the lists many times. Nothing has come back from the other side yet.",
     "We asked for the lists many times…"),
    # abbreviations are no sentence's end
    ("U.N. officials said the convoy of 31 lorries was hit near the warehouse.",
     "U.N. officials said the convoy of 31 lorries was hit near the warehouse"),
])
def test_event_words_are_a_clause_of_the_quote(quote: str, words: str) -> None:
    assert event_words(quote) == words


def test_event_words_never_add_a_word_the_quote_lacks() -> None:
    quotes = ["Sources close to the talks said a deal on the text was near; officials would not confirm it.",
              "“Every night the shelling grows,” a resident of the old city told us by telephone.",
              "In a statement on Friday, the ministry said it was studying the proposal closely."]
    for quote in quotes:
        kept = [w.strip("…") for w in event_words(quote).split()]
        assert kept and all(w.lower() in quote.lower() for w in kept), quote


def test_quoted_line_names_the_speaker_once() -> None:
    assert quoted_line("Jane Roe", "The roads are closed") == "Jane Roe: “The roads are closed”"
    assert quoted_line("Jane Roe", "…Jane Roe said the roads are closed") == "“…Jane Roe said the roads are closed”"
    assert quoted_line(None, "The roads are closed") == "“The roads are closed”"


# -- the day's event (over rows written here) -----------------------------------------------------


class Rows:
    """Outlets, articles and reports added straight to a fresh database, so each test says exactly what it holds."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.numbers = itertools.count(1)
        self.outlets: dict[str, Outlet] = {}

    def outlet(self, slug: str) -> Outlet:
        if slug not in self.outlets:
            self.outlets[slug] = Outlet(slug=slug, name=slug.replace("-", " ").title())
            self.session.add(self.outlets[slug])
        return self.outlets[slug]

    def report(self, outlet: str | None, day: dt.date, quote: str, kind: str = "statement",
               speaker: str | None = None, milestone: Milestone | None = None) -> None:
        n = next(self.numbers)
        article = Article(outlet=self.outlet(outlet) if outlet else None, source=f"a{n}.txt", content_hash=f"{n:064}",
                          published=day, text=quote)
        self.session.add(Report(article=article, position=0, quote=quote, span_start=0, span_end=len(quote),
                                date=day, precision="day", kind=kind, speaker=speaker, milestone=milestone))

    def milestone(self, slug: str, day: dt.date, title: str, kind: str = "talks") -> Milestone:
        milestone = Milestone(slug=slug, date=day, kind=kind, title=title, summary=title)
        self.session.add(milestone)
        return milestone


def headlines(session: Session, outlets: list[str] | None = None) -> dict[dt.date, object]:
    session.flush()
    rebuild_counts(session.connection())  # the rows went in around the loader, which keeps the counts
    session.commit()
    return {d.date: d.headline for d in timeline.timeline(session, WINDOW, outlets or []).days}


D1, D2, D3 = dt.date(2016, 9, 13), dt.date(2016, 9, 14), dt.date(2016, 9, 15)


def test_the_event_most_outlets_told_heads_the_day_in_its_own_words(session: Session) -> None:
    rows = Rows(session)
    # One outlet tells a speaker three times; three outlets tell another speaker's claim once each.
    for quote in ("The road to the north is open again.", "More lorries will cross tomorrow, he said.",
                  "The governor thanked the drivers."):
        rows.report("north-post", D1, quote, speaker="A Governor")
    for outlet in ("east-daily", "west-wire", "south-news"):
        rows.report(outlet, D1, "Mortars hit the market square before dawn, the monitor said.",
                    kind="violation_claim", speaker="The Monitor")
    line = headlines(session)[D1]
    assert (line.kind, line.speaker, line.outlets, line.reports) == ("violation_claim", "The Monitor", 3, 3)
    assert line.words == "Mortars hit the market square before dawn…"
    assert line.text == "The Monitor: “Mortars hit the market square before dawn…”"
    assert line.milestone is None


def test_among_equally_told_events_the_most_reports_win_and_the_shortest_quote_speaks(session: Session) -> None:
    rows = Rows(session)
    rows.report("east-daily", D2, "A long statement about the many things that were discussed at length today.",
                speaker="An Envoy")
    rows.report("east-daily", D2, "The envoy arrived in the capital.", speaker="An Envoy")
    rows.report("west-wire", D2, "Shops reopened in the old quarter this morning.")
    line = headlines(session)[D2]
    assert (line.speaker, line.outlets, line.reports) == ("An Envoy", 1, 2)
    assert line.words == "The envoy arrived in the capital"


def test_a_day_with_a_milestone_is_headed_by_its_catalogue_title(session: Session) -> None:
    rows = Rows(session)
    meeting = rows.milestone("envoys-meet", D3, "Envoys meet in Lausanne")
    rows.milestone("quiet-talks", D3, "Talks behind closed doors")
    rows.report("east-daily", D3, "the envoys meeting in lausanne went on late", kind="talks", milestone=meeting)
    rows.report("west-wire", D3, "envoys met in lausanne", kind="talks", milestone=meeting, speaker="An Aide")
    for n in range(3):  # more reports of another event do not outrank the milestone
        rows.report("east-daily", D3, f"Shelling went on in the south, round {n}.", kind="violation_claim")
    line = headlines(session)[D3]
    assert line.text == "Envoys meet in Lausanne"  # as the catalogue writes it, not as a report words it
    assert (line.milestone.slug, line.outlets, line.reports) == ("envoys-meet", 2, 2)


def test_the_headline_follows_the_outlet_filter(session: Session) -> None:
    rows = Rows(session)
    for outlet in ("east-daily", "west-wire"):
        rows.report(outlet, D1, "Both sides traded fire across the river.", kind="violation_claim")
    rows.report("north-post", D1, "The bakery on the square opened for the first time in weeks.")
    assert headlines(session)[D1].outlets == 2
    filtered = headlines(session, ["north-post"])[D1]
    assert (filtered.outlets, filtered.words) == (1, "The bakery on the square opened for the first time in weeks")


def test_a_milestone_day_nobody_told_says_so_and_a_quiet_day_has_none(session: Session) -> None:
    rows = Rows(session)
    rows.milestone("envoys-meet", D3, "Envoys meet in Lausanne")
    rows.report("east-daily", D1, "Aid arrived in the besieged town.")
    lines = headlines(session)
    assert (lines[D3].text, lines[D3].outlets) == ("Envoys meet in Lausanne", 0)
    assert lines[D2] is None


def test_the_headlines_take_two_queries_whatever_the_number_of_days(session: Session, engine) -> None:
    from sqlalchemy import event

    rows = Rows(session)
    for n in range(20):
        rows.report(f"outlet-{n % 3}", dt.date(2016, 9, 1) + dt.timedelta(days=n), f"Event number {n} took place here.")
    session.commit()
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        from app.queries.common import Chosen
        from app.queries.headlines import day_headlines
        day_headlines(session, (dt.date(2016, 9, 1), dt.date(2016, 9, 30)), Chosen(), [])
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len([s for s in statements if "report" in s.lower()]) == 2


# -- the page and its twin -----------------------------------------------------------------------


def test_timeline_rows_and_json_carry_the_headline(client: TestClient) -> None:
    data = client.get("/.json").json()
    rows = {d["date"]: d for d in data["days"]}
    airstrike = rows["2016-09-17"]["headline"]
    assert airstrike["milestone"]["slug"] == "deir-ezzor-airstrike" and airstrike["outlets"] >= 2
    told = [d for d in data["days"] if d["headline"] and not d["milestones"] and d["reports"]]
    assert told and all(d["headline"]["words"] for d in told)
    text = client.get("/").text
    assert text.count('class="headline"') == sum(1 for d in data["days"] if d["headline"])
    assert f'told by {airstrike["outlets"]} outlets' in text
