"""A deterministic corpus of synthetic news articles about the September 2016 Syria ceasefire.

Every article is built from the sentence templates below with a seeded random generator, so the same
seed and count always give the same files. The articles mix the known outlets (seeds/outlets.toml)
with sites the catalogue does not know, four dateline styles (or none), dates written the way the
seed articles write them ("on Saturday", "the fifth day of the truce", "September 9"), quotes with
speakers, background sentences, and some HTML pages with navigation and scripts.

    python -m benchmarks.corpus OUT_DIR --count 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import random
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DEFAULT_SEED = 2016
TRUCE_START = dt.date(2016, 9, 12)
FIRST_DAY, LAST_DAY = dt.date(2016, 9, 10), dt.date(2016, 10, 5)  # publication dates
UNKNOWN_SITES = ["Levant Daily Brief", "worldaffairsnow.net", "The Eastern Observer", "globalcrisiswatch.org", ""]
HTML_SHARE = 0.2

# (date, what happened): the milestones an article may report, each with a few ways to say it.
# "{when}" is a time expression resolved against the article's publication date.
EVENTS: list[tuple[dt.date, list[str]]] = [
    (dt.date(2016, 9, 9), [
        "Kerry and Lavrov agreed {when} on a plan to halt the fighting in Syria.",
        "The deal was struck in Geneva {when} after hours of talks between the two ministers.",
    ]),
    (dt.date(2016, 9, 12), [
        "The truce came into effect at sundown {when}, on the first day of Eid al-Adha.",
        "The cessation of hostilities began {when} across most of the country.",
    ]),
    (dt.date(2016, 9, 14), [
        "Washington and Moscow agreed {when} to extend the ceasefire by another 48 hours.",
    ]),
    (dt.date(2016, 9, 16), [
        "The two powers decided {when} to prolong the truce for a further 72 hours.",
    ]),
    (dt.date(2016, 9, 17), [
        "Coalition warplanes struck Syrian army positions near Deir ez-Zor {when}, killing 62 soldiers.",
        "The US-led coalition said it had bombed Syrian troops by mistake {when}.",
        "Russia called an emergency meeting of the Security Council {when} over the airstrike on Deir ez-Zor.",
    ]),
    (dt.date(2016, 9, 19), [
        "An aid convoy was attacked near Aleppo {when}, killing some 20 civilians and a Red Crescent worker.",
        "The Syrian army declared {when} that the truce was over, blaming the rebels.",
        "The ceasefire collapsed {when} as air raids resumed on eastern Aleppo.",
    ]),
    (dt.date(2016, 9, 20), [
        "The International Syria Support Group met in New York {when} but failed to revive the truce.",
    ]),
    (dt.date(2016, 9, 25), [
        "At an emergency Security Council session {when}, the US ambassador accused Russia of barbarism.",
    ]),
    (dt.date(2016, 10, 3), [
        "Washington suspended its bilateral talks with Moscow on Syria {when}.",
    ]),
]

QUOTES = [
    "“Only the Syrian government troops have been observing the ceasefire,” {speaker} said.",
    "“We will not allow the terrorists to use the truce to regroup,” {speaker} told reporters.",
    "{speaker} said the strike was “a grave violation” of the agreement.",
    "“What Russia is sponsoring and doing is not counter-terrorism, it is barbarism,” {speaker} said.",
    "“The convoy was hit from the air, there is no doubt about it,” {speaker} told journalists {when}.",
    "“This is a moment of truth for the agreement,” {speaker} said {when}.",
    "{speaker} accused Washington of shielding the militants in a statement {when}.",
]
SPEAKERS = [
    "Russian Defense Ministry spokesman Igor Konashenkov", "Foreign Minister Sergei Lavrov",
    "Secretary of State John Kerry", "US Ambassador Samantha Power", "UN envoy Staffan de Mistura",
    "Foreign Ministry spokeswoman Maria Zakharova", "State Department spokesman Mark Toner",
    "Russian envoy Vitaly Churkin", "OCHA spokesman Jens Laerke",
]
BACKGROUND = [
    "More than 300,000 people have been killed since the conflict began in 2011.",
    "Eastern Aleppo has been under siege for months, with some 250,000 people trapped inside.",
    "The agreement excluded the Islamic State group and the former al-Nusra Front.",
    "Humanitarian agencies have repeatedly warned of food and fuel shortages in the besieged areas.",
    "Both sides accused each other of violations in the last 24 hours.",
    "Monitors reported sporadic shelling on the fifth day of the truce.",
    "Aid trucks waited at the Turkish border for permission to enter.",
    "The Syrian Observatory for Human Rights said fighting had resumed in several provinces.",
    "Diplomats said the plan hinged on separating moderate rebels from jihadist groups.",
    "Russia has backed President Bashar al-Assad with airstrikes since September last year.",
    "Opposition leaders said they had little faith that the truce would hold.",
    "The United Nations said it was ready to deliver aid as soon as the roads were safe.",
]
HEADLINES = [
    "Syria truce under strain as aid waits at border", "Russia blames US for ceasefire violations",
    "Ceasefire in Syria: what went wrong", "Aid convoy attack deals blow to Syria truce",
    "UN Security Council clashes over Aleppo", "Kerry and Lavrov fail to save the truce",
    "Coalition strike on Syrian army sparks row", "Syria ceasefire: day by day",
]
NAV = ["Home", "World", "Middle East", "Opinion", "Video", "Sport", "READ MORE", "Subscribe"]


# The corpus mixes the first outlets of the catalogue, as many as the catalogue had when the benchmarks'
# figures were first taken: with all 240, each outlet would have a handful of articles, no outlet page would
# need paging, and the figures of different runs would not compare.
CORPUS_OUTLETS = 16


def outlet_names() -> list[str]:
    """The names of the catalogue's first CORPUS_OUTLETS outlets, read from seeds/outlets.toml."""
    data = tomllib.loads((SEEDS / "outlets.toml").read_text(encoding="utf-8"))
    return [entry["name"] for entry in data["outlet"]][:CORPUS_OUTLETS]


def when_phrase(rng: random.Random, day: dt.date, published: dt.date) -> str:
    """A time expression for `day` as an article published on `published` would write it."""
    gap = (published - day).days
    choices = [f"on {day:%B} {day.day}", f"on {day.day} {day:%B}", f"on {day:%A}, {day:%B} {day.day}"]
    if gap == 1:
        choices += ["yesterday", "on Sunday night" if day.weekday() == 6 else "yesterday evening"]
    if 1 <= gap <= 6:
        choices += [f"on {day:%A}", f"last {day:%A}" if gap > 2 else f"on {day:%A} morning"]
    if day.isocalendar().week == published.isocalendar().week - 1:
        choices += ["last week"]
    if 0 <= (day - TRUCE_START).days < 8:
        choices += [f"on the {ORDINALS[(day - TRUCE_START).days]} day of the truce"]
    if gap == 0:
        choices += ["today", "earlier today"]
    return rng.choice(choices)


ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


def dateline(rng: random.Random, published: dt.date, outlet: str) -> str | None:
    """One of four dateline styles, or none at all."""
    style = rng.randrange(5)
    if style == 0:
        return f"{published.day} {published:%b}, {published.year} {rng.randrange(24):02d}:{rng.randrange(60):02d}"
    if style == 1:
        return f"Published: {published:%A} {published.day} {published:%B} {published.year}"
    if style == 2:
        city = rng.choice(["BEIRUT", "MOSCOW", "GENEVA", "UNITED NATIONS", "DAMASCUS"])
        return f"{city}, Sept {published.day} ({outlet or 'Reuters'}) -"
    return None  # twice as likely: most seed articles carry no dateline


def sentence(rng: random.Random, published: dt.date) -> str:
    """One body sentence: an event, a quote or background."""
    roll = rng.random()
    if roll < 0.4:
        past = [e for e in EVENTS if e[0] <= published]
        day, templates = rng.choice(past)
        return rng.choice(templates).format(when=when_phrase(rng, day, published))
    if roll < 0.7:
        day = published - dt.timedelta(days=rng.randrange(0, 4))
        return rng.choice(QUOTES).format(speaker=rng.choice(SPEAKERS), when=when_phrase(rng, day, published))
    return rng.choice(BACKGROUND)


def article_text(rng: random.Random, outlet: str) -> tuple[str, list[str], dt.date]:
    """(headline, paragraphs, publication date) of one article of 5 to 60 sentences."""
    published = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    sentences = [sentence(rng, published) for _ in range(rng.randint(5, 60))]
    paragraphs = []
    while sentences:
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    line = dateline(rng, published, outlet)
    if line and line.endswith("-"):  # a wire dateline opens the first paragraph
        paragraphs[0] = f"{line} {paragraphs[0]}"
    elif line:
        paragraphs.insert(0, line)
    return rng.choice(HEADLINES), paragraphs, published


def as_text(headline: str, paragraphs: list[str], outlet: str) -> str:
    head = [f"{outlet}- {headline}" if outlet else headline]
    return "\n\n".join(head + paragraphs) + "\n"


def as_html(rng: random.Random, headline: str, paragraphs: list[str], outlet: str, published: dt.date) -> str:
    """A page with a head, scripts, navigation, the story and a footer."""
    nav = "".join(f'<li><a href="/{n.lower().replace(" ", "-")}">{n}</a></li>' for n in NAV)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    site = f'<meta property="og:site_name" content="{html.escape(outlet)}">' if outlet else ""
    stamp = f'<meta property="article:published_time" content="{published}T{rng.randrange(24):02d}:00:00Z">'
    return (f"<!doctype html><html><head><title>{html.escape(headline)} | {html.escape(outlet or 'News')}</title>"
            f"{site}{stamp if rng.random() < 0.5 else ''}<script>window.dataLayer=[];function t(){{}}</script>"
            f"</head><body><header><nav><ul>{nav}</ul></nav></header><article><h1>{html.escape(headline)}</h1>"
            f"{body}</article><aside><h3>Related</h3><a href='/x'>Syria ceasefire explained</a></aside>"
            f"<footer>© 2016 {html.escape(outlet)} <script>t()</script></footer></body></html>\n")


def generate(count: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[str, str]]:
    """(file name, text) for `count` distinct articles, the same ones for the same seed."""
    rng = random.Random(seed)
    outlets = outlet_names() + UNKNOWN_SITES
    seen: set[str] = set()
    while len(seen) < count:
        outlet = rng.choice(outlets)
        headline, paragraphs, published = article_text(rng, outlet)
        is_html = rng.random() < HTML_SHARE
        text = as_html(rng, headline, paragraphs, outlet, published) if is_html else as_text(headline, paragraphs,
                                                                                              outlet)
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        slug = "-".join(re.sub(r"[./\\]", " ", outlet.lower()).split()) or "unknown"
        yield f"{len(seen) - 1:05d}_{slug}.{'html' if is_html else 'txt'}", text


def write(folder: Path, count: int, seed: int = DEFAULT_SEED) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(count, seed):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    paths = write(args.out_dir, args.count, args.seed)
    print(f"wrote {len(paths)} articles to {args.out_dir}")


if __name__ == "__main__":
    main()
