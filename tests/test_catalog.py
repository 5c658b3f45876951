"""The catalogues load, and the cheap word test in front of each milestone's phrases never hides a match."""

import re
from pathlib import Path

import pytest

from app.extract.text import clean_text, decode_bytes, split_sentences
from app.extract.types import KINDS
from app.extract.wordhints import required_words
from app.store.seedfiles import load_catalog

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT / "seeds")


def all_sentences() -> list[str]:
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "articles").glob("*.*"))
    sentences = []
    for path in files:
        if path.suffix in (".txt", ".html"):
            text = clean_text(decode_bytes(path.read_bytes()))
            sentences += [text[s:e] for s, e in split_sentences(text)]
    return sentences


def test_milestones_are_sorted_and_well_formed():
    dates = [m.date for m in CATALOG.milestones]
    assert dates == sorted(dates)
    assert all(m.kind in KINDS and m.title and m.summary and m.sources for m in CATALOG.milestones)
    assert CATALOG.window_start <= CATALOG.agreement <= CATALOG.truce_start <= CATALOG.window_end


def test_word_hints_never_hide_a_phrase_match():
    sentences = all_sentences()
    assert len(sentences) > 200
    for milestone in CATALOG.milestones:
        for sentence in sentences:
            matched = any(p.search(sentence) for p in milestone.phrases + milestone.references)
            assert not matched or milestone.may_match(sentence.lower()), (milestone.slug, sentence)


@pytest.mark.parametrize("patterns, words", [
    ([r"\b48[ -]hours?\b"], {"hour"}),  # the optional s is not required
    ([r"\b(came|went) into (effect|force)\b"], {"effect", "force"}),  # the longest mandatory words
    ([r"\b(the )?truce\b"], {"truce"}),  # an optional group adds nothing
    ([r"\bdeir[ -]?e[sz][ -]?zor\b"], {"deir"}),
    ([r"\bconvoy\b", r"\burum al-kubra\b"], {"convoy", "al-kubra"}),  # one word per pattern, any of them
    ([r"(?<![\w-])rt\.com\b"], {"rt.com"}),  # a literal run keeps its dots and hyphens: rarer than "com"
    ([r"\bu\.s\.-led\b"], {"u.s.-led"}),
    ([r"\b(killed|\d+)\b"], set()),  # a branch with no word: no test at all
    ([r"\d+"], set()),
])
def test_required_words(patterns, words):
    assert required_words(patterns) == words


def test_manifest_dates_bare_or_quoted_and_a_bad_one_is_named(tmp_path):
    import datetime as dt

    from app.store.seedfiles import load_manifest

    (tmp_path / "manifest.toml").write_text(
        '[file."a.txt"]\npublished = 2016-09-18\n[file."b.txt"]\npublished = "2016-09-19"\n')
    entries = load_manifest(tmp_path).entries
    assert (entries["a.txt"].published, entries["b.txt"].published) == (dt.date(2016, 9, 18), dt.date(2016, 9, 19))
    (tmp_path / "manifest.toml").write_text('[file."c.txt"]\npublished = "Sunday"\n')
    assert load_manifest(tmp_path).bad == {"c.txt": "published must be a date like 2016-09-18, not 'Sunday'"}


def test_a_manifest_entry_of_the_wrong_type_is_named_with_its_reason_and_the_others_kept(tmp_path):
    from app.store.seedfiles import load_manifest

    (tmp_path / "manifest.toml").write_text(
        '[file."good.txt"]\noutlet = "rt"\ntitle = "Truce holds"\n'
        '[file."list.txt"]\ntitle = ["a"]\n'
        '[file."number.txt"]\nurl = 3\n'
        '[file."typo.txt"]\ntitel = "Truce holds"\n'
        '[file."when.txt"]\npublished = 20160918\n'
        '[file]\n"flat.txt" = "rt"\n')
    manifest = load_manifest(tmp_path)
    assert manifest.entries["good.txt"].outlet == "rt" and manifest.entries["good.txt"].title == "Truce holds"
    assert set(manifest.entries) == {"good.txt"}
    assert manifest.bad == {
        "list.txt": "title must be a string, not an array",
        "number.txt": "url must be a string, not an integer",
        "typo.txt": "unknown key 'titel' (an entry may have outlet, url, published, title)",
        "when.txt": "published must be a date like 2016-09-18, not an integer",
        "flat.txt": "the entry must be a table of outlet, url, published, title, not a string",
    }


@pytest.mark.parametrize(("text", "reason"), [
    ('file = "x"\n', 'file must be [file."NAME"] tables, not a string'),
    ('[files."a.txt"]\noutlet = "rt"\n', 'unknown key \'files\': a manifest holds [file."NAME"] tables only'),
])
def test_a_manifest_not_made_of_file_tables_is_refused_whole(tmp_path, text, reason):
    from app.store.seedfiles import load_manifest

    (tmp_path / "manifest.toml").write_text(text)
    with pytest.raises(ValueError) as raised:
        load_manifest(tmp_path)
    assert str(raised.value) == reason


ORIGINAL_OUTLETS = {  # slugs and names the seeds' scores and the pages' links rely on
    "alwaght": "Alwaght", "rt": "RT", "al-jazeera": "Al Jazeera", "asharq-al-awsat": "Asharq Al-Awsat",
    "yournewswire": "YourNewsWire", "reuters": "Reuters", "associated-press": "Associated Press", "afp": "AFP",
    "bbc": "BBC", "the-guardian": "The Guardian", "tass": "TASS", "sputnik": "Sputnik", "sana": "SANA",
    "middle-east-eye": "Middle East Eye", "al-monitor": "Al-Monitor", "press-tv": "Press TV",
}
MIN_OUTLETS = 150  # the wires, broadcasters, papers, UN bodies, NGOs and analysts readers of this war meet


def test_the_outlet_catalogue_is_large_and_well_formed():
    outlets = CATALOG.outlets
    assert len(outlets) >= MIN_OUTLETS
    slugs = [o.slug for o in outlets]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) for slug in slugs)
    assert all(o.name and o.description and o.country and o.domains and o.marks for o in outlets)
    assert {o.slug: o.name for o in outlets if o.slug in ORIGINAL_OUTLETS} == ORIGINAL_OUTLETS


def test_wire_agencies_are_flagged_and_homepages_are_among_the_domains():
    agencies = {o.slug for o in CATALOG.outlets if o.agency}
    assert {"reuters", "associated-press", "afp", "tass", "xinhua", "anadolu-agency", "ians", "dpa"} <= agencies
    assert not agencies & {"bbc", "the-guardian", "al-jazeera", "hrw", "stratfor"}
    assert CATALOG.outlet("rt").domains[0] == "rt.com" and CATALOG.outlet("bbc").domains[:2] == ("bbc.com", "bbc.co.uk")


def test_names_and_domains_are_not_shared_between_outlets():
    owners: dict[str, set[str]] = {}
    for outlet in CATALOG.outlets:
        for name in (outlet.name, *outlet.aliases, *outlet.domains):
            owners.setdefault(name.lower(), set()).add(outlet.slug)
    assert {name: slugs for name, slugs in owners.items() if len(slugs) > 1} == {}
