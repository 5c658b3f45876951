"""A day's reports as the events they tell: pure Python over the page's report items, no SQL.

Reports of one event (one milestone, or one kind of event from one speaker) make one block, each outlet's
words side by side in it; the reports of one sentence make one card; the cards of one article sit under it,
where how its publication date was known is said once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from app.extract.published import inferred_range
from app.extract.resolve import fmt
from app.queries.pagedata import ArticleCards, EventGroup, OutletAccount, OutletRef, ReportCard, ReportItem, WireStory
from app.queries.wirestories import Telling, carried_stories, outlets_told

# How a reader names each kind; a kind the table lacks is spelled from its name ("new_kind" -> "New kind").
KIND_LABELS = {
    "agreement": "Agreement", "truce_start": "Truce begins", "extension": "Extension",
    "violation_claim": "Violation claim", "airstrike_deir_ezzor": "Airstrike near Deir ez-Zor",
    "convoy_attack": "Aid convoy attack", "truce_end": "Truce ends", "collapse": "Collapse",
    "un_security_council": "UN Security Council", "talks": "Talks", "aid_access": "Aid access",
    "statement": "Statement", "other": "Other",
}


def kind_label(kind: str) -> str:
    """ "airstrike_deir_ezzor" -> "Airstrike near Deir ez-Zor"."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    words = kind.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def group_events(reports: Sequence[ReportItem], milestone_order: Sequence[str] = (),
                 stories: Sequence[WireStory] = ()) -> list[EventGroup]:
    """The reports as event blocks: the day's own milestones first (in milestone_order), then other milestones,
    then the rest by how many outlets and reports tell them. stories: the day's wire stories that several
    hosts carried, each of which a block counts as one outlet."""
    blocks: dict[str, list[ReportCard]] = {}
    names = full_speaker_names([r.speaker for r in reports if r.speaker])
    for card in sentence_cards(reports):
        blocks.setdefault(_event_key(_lead(card), names), []).append(card)
    story_of = {article: story for story in stories for article in story.article_ids}
    groups = [_event_group(key, cards, names, story_of) for key, cards in blocks.items()]
    rank = {slug: i for i, slug in enumerate(milestone_order)}

    def order(g: EventGroup) -> tuple:
        if g.milestone is not None:
            return (0, rank.get(g.milestone, len(rank)), 0, 0, g.title.lower())
        return (1, 0, -g.told_by, -g.reports, g.title.lower())

    return sorted(groups, key=order)


def sentence_cards(reports: Sequence[ReportItem]) -> list[ReportCard]:
    """The reports of one sentence of one article as one card, in the order their first report comes."""
    cards: dict[tuple[int, int, int], list[ReportItem]] = {}
    for r in reports:
        start, end = (r.span + [0, 0])[:2]
        cards.setdefault((r.article_id, start, end), []).append(r)
    return [ReportCard(items) for items in cards.values()]


def _lead(card: ReportCard) -> ReportItem:
    """The report a card is filed by: one naming a milestone when it carries one, else its first."""
    return next((r for r in card.reports if r.milestone), card.reports[0])


def full_speaker_names(speakers: Sequence[str]) -> dict[str, str]:
    """Each speaker as the longest name on the page that holds it as its first or last words ("Putin" and
    "Vladimir" are "Vladimir Putin"), when exactly one such name does; else as it is."""
    distinct = sorted(set(speakers), key=len, reverse=True)
    names = {}
    for name in distinct:
        fuller = [f for f in distinct if len(f) > len(name) and (f.endswith(" " + name) or f.startswith(name + " "))]
        names[name] = names.get(fuller[0], fuller[0]) if len(fuller) == 1 else name
    return names


def _event_key(r: ReportItem, names: dict[str, str]) -> str:
    speaker = names.get(r.speaker, r.speaker) if r.speaker else ""
    return f"milestone:{r.milestone}" if r.milestone else f"kind:{r.kind}:{speaker}"


def _event_group(key: str, cards: list[ReportCard], names: dict[str, str],
                 story_of: Mapping[int, WireStory]) -> EventGroup:
    lead = _lead(cards[0])
    speaker = names.get(lead.speaker, lead.speaker) if lead.speaker and not lead.milestone else None
    if lead.milestone:
        title = lead.milestone_title or lead.milestone
    else:
        title = kind_label(lead.kind) + (f" · {speaker}" if speaker else "")
    accounts = _outlet_accounts(cards)
    tellings = [_telling(card.reports[0], story_of.get(card.reports[0].article_id)) for card in cards]
    return EventGroup(key, title, lead.kind, lead.milestone, speaker, accounts,
                      sum(len(c.reports) for c in cards), len(cards),
                      told_by=outlets_told(tellings), carried=len(carried_stories(tellings)))


def _telling(report: ReportItem, story: WireStory | None) -> Telling:
    host = OutletRef(report.outlet_slug, report.outlet or report.outlet_slug) if report.outlet_slug else None
    return Telling(host, story.story, story.agency) if story else Telling(host)


def _outlet_accounts(cards: list[ReportCard]) -> list[OutletAccount]:
    """Cards by outlet (by name, the unknown outlet last), then by article in the order they come."""
    by_outlet: dict[str | None, dict[int, list[ReportCard]]] = {}
    names: dict[str | None, OutletRef | None] = {}
    for card in cards:
        first = card.reports[0]
        slug = first.outlet_slug
        names[slug] = OutletRef(slug, first.outlet or slug) if slug else None
        by_outlet.setdefault(slug, {}).setdefault(first.article_id, []).append(card)
    order = sorted(by_outlet, key=lambda s: (s is None, names[s].name.lower() if names[s] else ""))
    accounts = []
    for slug in order:
        articles = [_article_cards(article_cards) for article_cards in by_outlet[slug].values()]
        accounts.append(OutletAccount(names[slug], articles,
                                      sum(len(c.reports) for a in articles for c in a.cards)))
    return accounts


def _article_cards(cards: list[ReportCard]) -> ArticleCards:
    first = cards[0].reports[0]
    return ArticleCards(first.article_id, first.article_title or first.source, first.published,
                        publication_note(first.published, first.published_basis), cards)


DATELINE = re.compile(r"^dateline '(?P<words>[^']*)'")
METADATA = re.compile(r"^page metadata '(?P<words>[^']*)'")
CLUES = re.compile(r"inferred from (?P<held>\d+) of (?P<clues>\d+) clues")


def publication_note(published: str | None, basis: str | None) -> str:
    """How an article's publication date was known, as one sentence: the dateline's or metadata's own words
    quoted, an inferred date with the range its clues allow."""
    if published is None:
        return "Its publication date is not known, so no date here is counted from it."
    day = dt.date.fromisoformat(published)
    basis = basis or ""
    if m := DATELINE.match(basis):
        return f"Published {fmt(day)}, by its dateline “{m['words']}”."
    if m := METADATA.match(basis):
        return f"Published {fmt(day)}, by the date in the page's metadata, “{m['words']}”."
    if basis.startswith("manifest"):
        return f"Published {fmt(day)}, as the list of articles it was loaded with gives it."
    if basis.startswith("inferred"):
        return _inferred_note(day, basis)
    return f"Published {fmt(day)}."


def _inferred_note(day: dt.date, basis: str) -> str:
    span = inferred_range(basis, day)
    clues = CLUES.search(basis)
    agree = f", {clues['held']} of its {clues['clues']} clues agreeing" if clues else ""
    if span is None or span[0] == span[1]:
        allowed = "they fit that day alone"
    else:
        allowed = f"they fit any day from {fmt(span[0])} to {fmt(span[1])}"
    return (f"Published {fmt(day)} at the likeliest: it carries no dateline, so the day is inferred from the "
            f"dates its text tells{agree}; {allowed}.")
