"""Which outlet a page is, from its own marks, never from the outlet it quotes."""

from pathlib import Path

import pytest

from app.extract import outlets
from app.extract.article import extract_article
from app.extract.outlets import detect_outlet
from app.extract.publishers import PageMarks, page_marks
from app.store.seedfiles import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parent.parent / "seeds")
BODY = "\n\nThe truce was shaky on its fourth day, with shelling reported near Aleppo.\n"


@pytest.mark.parametrize("text, slug", [
    ("BEIRUT (Reuters) - Shelling resumed near Aleppo." + BODY, "reuters"),
    ("Truce under strain | Middle East Eye" + BODY, "middle-east-eye"),
    ("Sputnik - The truce held." + BODY, "sputnik"),
    (BODY + "SOURCE: Al Jazeera and agencies", "al-jazeera"),
    ("Home | World" + BODY + "Copyright: TASS", "tass"),
])
def test_own_marks_name_the_outlet(text, slug):
    assert detect_outlet(text, CATALOG).slug == slug


@pytest.mark.parametrize("text", [
    "A blog post." + BODY + "RT reports: the army was observing the truce.",
    "According to TASS, the ministry counted 30 violations." + BODY,
    "Some sites said so, as cited by Reuters." + BODY,
])
def test_quoting_an_outlet_does_not_make_the_page_that_outlet(text):
    assert detect_outlet(text, CATALOG).slug is None


def test_url_and_metadata_win():
    guess = detect_outlet(BODY, CATALOG, url="https://www.theguardian.com/world/2016/sep/19/x")
    assert guess.slug == "the-guardian" and "URL" in guess.basis
    assert detect_outlet(BODY, CATALOG, site_name="BBC News").slug == "bbc"


def test_unknown_is_an_honest_answer():
    guess = detect_outlet("Just a story." + BODY, CATALOG)
    assert guess.slug is None and guess.basis


# --- the catalogue's own marks, in other styles ---------------------------------------------------

@pytest.mark.parametrize("text, slug", [
    ("Damascus, SANA – The army said the truce would last a week." + BODY, "sana"),
    ("Shelling eases in Idlib\n\nCopyright © 2016 Stratfor Enterprises, LLC. All rights reserved." + BODY,
     "stratfor"),
    ("UN chief appalled by convoy strike\n\nSources\n\nOCHA" + BODY, "ocha"),
    ("Hello and welcome to BBC World News. Our top story tonight." + BODY, "bbc"),
    ("Dear readers, welcome to the archives of Enab Baladi." + BODY, "enab-baladi"),
    ("Tuesday, 20 September 2016\nTo guardian.ng\nSearch" + BODY, "guardian-nigeria"),
    ("Aid stalls at the border – Al Jazeera English" + BODY, "al-jazeera"),
])
def test_catalogued_outlets_are_named_by_their_own_marks(text, slug):
    assert detect_outlet(text, CATALOG).slug == slug


@pytest.mark.parametrize("text", [
    "Syrian sources said the army held its fire, Xinhua news agency reported." + BODY,
    "The ministry's figures, quoting Interfax, rose overnight." + BODY,
    "Kremlin: the truce can still be saved, a spokesman said on Tuesday." + BODY,
    "A local paper reported the strike, citing the Syrian Observatory for Human Rights." + BODY,
])
def test_an_outlet_quoted_or_speaking_in_a_headline_is_not_the_host(text):
    assert detect_outlet(text, CATALOG).slug is None


@pytest.mark.parametrize("text", [
    "Smoke over eastern Aleppo. AFP photo" + BODY,
    "Aid trucks at the crossing. Photo: Reuters" + BODY,
    "A rescuer in the rubble. REUTERS/Abdul Rahman Ismail" + BODY,
    "© AFP 2016/ George Ourfalian" + BODY,
    "Picture by AP\n\nResidents queue for bread." + BODY,
])
def test_a_photo_credit_is_no_outlet(text):
    guess = detect_outlet(text, CATALOG)
    assert guess.slug is None and guess.agency is None


# --- wire copy ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, agency", [
    ("BEIRUT (AP) — Syrian troops pushed into the city's east." + BODY, "associated-press"),
    ("MOSCOW, September 21. /TASS/. The ministry counted 30 violations." + BODY, "tass"),
    ("(AFP) - Russia said it was ready to extend the truce." + BODY, "afp"),
    ("Washington (CNN) The US said the talks were over." + BODY, "cnn"),
    ("New Delhi, Sep 20 (IANS) India welcomed the truce." + BODY, "ians"),
    ("WASHINGTON, Sept 14 (Reuters) U.S. officials said the deal held." + BODY, "reuters"),
    ("Truce holds\n\nBy AFP\n21 September 2016 | 9:02 am\nThe truce held overnight." + BODY, "afp"),
    ("Kerry and Lavrov meet again\n\nPress Trust of India Moscow\nThe ministers met on Friday." + BODY, "pti"),
    (" date 2016-09-18 ANKARA (Anadolu Agency) - Turkey backed the deal." + BODY, "anadolu-agency"),
    ("Truce strained\n\nBy Reuters Staff\n\nThe truce was strained." + BODY, "reuters"),
    # An abbreviated month ("Sept.", "Oct.") in the dateline is no sentence ending before the credit.
    ("ALEPPO, Oct. 2 (Xinhua) -- Air raids resumed on the city." + BODY, "xinhua"),
    ("Idlib [Syria], Sept. 22 (ANI): Rebels shelled a checkpoint." + BODY, "ani"),
    ("ISTANBUL (AA) - Turkish officials welcomed the deal." + BODY, "anadolu-agency"),
    ("GENEVA, Sep 21 2016 (IPS) - Aid workers waited for access." + BODY, "inter-press-service"),
])
def test_a_wire_credit_in_the_opening_names_the_agency(text, agency):
    guess = detect_outlet(text, CATALOG)
    assert guess.agency == agency and guess.agency_basis
    assert guess.slug == agency  # no host mark: plainly wire copy, the outlet is the agency


def test_a_closing_credit_names_the_agency():
    story = "Truce frays in Aleppo\n\n" + "The guns fell silent, then spoke again. " * 60 + "\n\n— AFP"
    assert detect_outlet(story, CATALOG).agency == "afp"


def test_the_host_stays_the_outlet_when_it_runs_wire_copy():
    text = "Truce frays in Aleppo | The Harbour Gazette\n\nBEIRUT (AP) — Shelling resumed." + BODY
    guess = detect_outlet(text, CATALOG)
    assert (guess.name, guess.slug, guess.agency) == ("The Harbour Gazette", "the-harbour-gazette", "associated-press")
    assert not guess.catalogued and "title suffix" in guess.basis
    on_its_site = detect_outlet("BEIRUT (Reuters) - Shelling resumed." + BODY, CATALOG,
                                url="https://www.straitstimes.com/world/truce")
    assert (on_its_site.slug, on_its_site.agency) == ("straits-times", "reuters")


@pytest.mark.parametrize("text", [
    "The ministry said the strike was an error (Reuters). Residents fled." + BODY,
    "Officials in Geneva, who spoke to us before the (AFP) interview, said it was over." + BODY,
    "Analysts wrote that the deal was weak. BEIRUT (AP) is where the reporter was based." + BODY,
    "The envoy left. Officials said (Xinhua) - nothing more." + BODY,
])
def test_an_agency_named_inside_the_prose_is_no_wire_credit(text):
    assert detect_outlet(text, CATALOG).agency is None


# --- namesakes: the address beats the name --------------------------------------------------------

def test_a_namesake_at_another_address_is_not_the_catalogued_outlet():
    lagos = detect_outlet(BODY, CATALOG, url="https://guardian.ng/news/truce", site_name="The Guardian")
    assert lagos.slug == "guardian-nigeria"
    elsewhere = detect_outlet(BODY, CATALOG, url="https://www.dailyplanet.example/x", site_name="The Guardian")
    assert elsewhere.slug != "the-guardian" and elsewhere.name == "The Guardian (dailyplanet.example)"
    assert not elsewhere.catalogued
    london = detect_outlet(BODY, CATALOG, url="https://www.theguardian.com/world/x", site_name="The Guardian")
    assert london.slug == "the-guardian"


# --- publishers outside the catalogue --------------------------------------------------------------

@pytest.mark.parametrize("text, name, why", [
    ("Aid trucks wait at the border - Levant Times" + BODY, "Levant Times", "title suffix"),
    ("Aid trucks wait at the border | Northern Post Online" + BODY, "Northern Post Online", "title suffix"),
    (BODY + "\nCopyright © 2016 Northern Lights Media Ltd. All rights reserved.", "Northern Lights Media",
     "copyright line"),
    (BODY + "\n© 2016 The Valley Courier", "The Valley Courier", "copyright line"),
    ("Welcome to Harbour Radio News, your station." + BODY, "Harbour Radio News", "welcome line"),
    ("Convoy hit near Aleppo\n\nBy Capital Courier Staff" + BODY, "Capital Courier", "staff byline"),
    ("Levant Daily Brief: September 14, 2016" + BODY, "Levant Daily Brief", "masthead"),
    ("Mountain Voice News 14 Sep 2016, 06:10 am" + BODY, "Mountain Voice News", "masthead"),
    ("Truce talks\n\nSource: Aleppo Media Centre" + BODY, "Aleppo Media Centre", "source line"),
])
def test_a_publisher_outside_the_catalogue_is_named_by_its_marks(text, name, why):
    guess = detect_outlet(text, CATALOG)
    assert (guess.name, guess.catalogued) == (name, False) and why in guess.basis
    assert guess.slug == name.lower().replace(" ", "-")


def test_a_site_name_in_the_metadata_names_an_unknown_publisher():
    guess = detect_outlet(BODY, CATALOG, url="https://levant.example/a", site_name="Levant Watch")
    assert (guess.slug, guess.name) == ("levant-watch", "Levant Watch")
    assert "page metadata" in guess.basis


def test_a_known_address_with_no_name_is_named_by_its_domain():
    guess = detect_outlet(BODY, CATALOG, url="https://www.levant.example/a", site_name="levant.example")
    assert (guess.slug, guess.name) == ("levant-example", "levant.example")


@pytest.mark.parametrize("text", [
    "Ceasefire Begins Across Syria September 12, 2016" + BODY,  # a headline before a date is no masthead
    "Russia and US agree on truce - Monday" + BODY,  # a day is no publisher
    "Residents return to Homs - Photo Gallery" + BODY,
])
def test_what_only_looks_like_a_mark_names_no_publisher(text):
    assert detect_outlet(text, CATALOG).slug is None


# --- HTML pages: the page's own statements --------------------------------------------------------

PAGE = """<html><head><title>Truce holds in Aleppo | The Orchard Herald</title>
<meta property="og:site_name" content="{site}">
<link rel="canonical" href="https://news.orchard.example/truce">
<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [{{"@type": "NewsArticle",
 "headline": "Truce holds", "publisher": {{"@type": "Organization", "name": "Orchard Media Group"}}}}]}}</script>
</head><body><article><h1>Truce holds in Aleppo</h1><p>{story}</p></article></body></html>"""


def test_page_marks_read_the_title_site_name_publisher_and_canonical_address():
    marks = page_marks(PAGE.format(site="The Orchard Herald", story="The truce held."))
    assert marks.title == "Truce holds in Aleppo | The Orchard Herald"
    assert marks.site_names == ("The Orchard Herald", "Orchard Media Group")
    assert marks.canonical == "https://news.orchard.example/truce"
    assert page_marks("<html><head><script type='application/ld+json'>{not json</script></head></html>") == \
        PageMarks()


def test_an_html_page_is_credited_to_its_publisher_and_its_agency():
    story = "BEIRUT (Reuters) - The truce held on its fourth day across Aleppo, residents said on Friday."
    article = extract_article(PAGE.format(site="The Orchard Herald", story=story), source="a.html",
                              catalog=CATALOG)
    assert (article.outlet, article.outlet_name, article.agency) == (
        "the-orchard-herald", "The Orchard Herald", "reuters")
    no_site_name = PAGE.format(site="", story=story).replace("Orchard Media Group", "")
    assert extract_article(no_site_name, source="b.html", catalog=CATALOG).outlet_name == "The Orchard Herald"


@pytest.mark.parametrize("site_name, name", [
    ("Harbour Gazette | News for the coast", "Harbour Gazette"),
    ("Valley News - Valley City, Ohio", "Valley News"),
])
def test_a_site_name_loses_its_tagline(site_name, name):
    assert detect_outlet(BODY, CATALOG, url="https://x.example/a", site_name=site_name).name == name


def test_a_site_name_that_is_only_an_address_is_no_name():
    guess = detect_outlet("Truce talks stall - Harbour Gazette" + BODY, CATALOG, site_name="https://www.x.example")
    assert guess.name == "Harbour Gazette"


def test_an_outlet_address_followed_by_its_path_is_its_mark_not_a_photo_credit():
    text = "Truce frays in Aleppo" + BODY + "Read more: http://www.al-monitor.com/pulse/originals/2016/09/x.html"
    assert detect_outlet(text, CATALOG).slug == "al-monitor"


@pytest.mark.parametrize("slug, text", [
    ("middle-east-eye", "Middle East Eye, MIDDLE EAST EYE and middle east eye; not MiddleEastEye or @Middle East Eye"),
    ("middle-east-eye", "Middle Eaſt Eye, then Middle East Eyes"),
    ("middle-east-eye", "Mıddle East Eye, then Middle East Eyes"),
    ("middle-east-eye", "Mİddle East Eye, then Middle East Eye"),
    ("sputnik", "Sputnik, SPUTNIK, sputnik, Sputniks, x.Sputnik and Sputnik News"),
    ("reuters", "Thomson Reuters, thomson reuters, REUTERS, Reuters-style, reuters"),
])
def test_a_name_is_found_where_its_pattern_matches(slug, text):
    """The outlet's names are looked for by substring search before the pattern runs: the places found are
    the pattern's own, with letters that match only when case is ignored ('ſ', 'ı', 'İ') among them."""
    outlet = CATALOG.outlet(slug)
    expected = [m.span() for m in outlets._name_regex(outlet).finditer(text)]
    assert expected and [m.span() for m in outlets._name_starts(outlet, text)] == expected


@pytest.mark.parametrize("line, slug", [
    ("Sputnik News", "sputnik"),  # the name alone, or with "News", is the masthead
    ("Sputnik  —  The truce held on its fourth day", "sputnik"),
    ("Sputnik|The truce held on its fourth day", "sputnik"),
    ("Truce holds on its fourth day - Middle East Eye (updated)", "middle-east-eye"),
    ("Truce holds on its fourth day –Middle East Eye", "middle-east-eye"),
])
def test_a_top_line_names_its_outlet_before_or_after_a_separator(line, slug):
    assert detect_outlet(line + BODY, CATALOG).slug == slug


@pytest.mark.parametrize("line", [
    "Sputnik: the truce held on its fourth day",  # a colon opens a quoted headline
    "Truce holds on its fourth day | Middle East Eye and others | Home",  # a bar after the name
    "Truce holds - Middle East Eye reporters were told a long story about it",  # too far from the end
])
def test_a_top_line_that_only_mentions_an_outlet_is_no_mark(line):
    assert detect_outlet(line + BODY, CATALOG).slug is None


def test_a_site_name_is_found_among_all_the_catalogue_names_as_a_full_scan_finds_it():
    # The index narrows the outlets whose names are tried; it must never lose one, whatever the casing, and
    # however a non-ASCII name ("Ajansı") matches a plain one ignoring case ("AJANSI").
    def full_scan(name):
        return next((o for o in CATALOG.outlets if outlets._is_site_name(o, name)), None)

    names = [name for outlet in CATALOG.outlets for name in outlets._names(outlet)]
    variants = {v for name in names for v in (name, name.upper(), name.lower(), name.swapcase(), f" {name} ",
                                                 f"{name} News", f"The {name}", f"{name} | Home")}
    assert any(not name.isascii() for name in names)
    assert all(outlets._catalogued_name(v, CATALOG) is full_scan(v) for v in variants)
    assert outlets._catalogued_name("ANADOLU AJANSI", CATALOG) is not None


@pytest.mark.parametrize("text", [
    "Read more at www.example.com.cn and news.example.co.uk/world, or reliefweb.int and ians.in.",
    "The company's site, example.company, is not example.com; mail: desk@example.net.",
    "Copyright 2016 The Example Network. All rights reserved. Associated Press contributed.",
    "No address here at all, only words: the guardian of the truce, a telegraph pole.",
    "a.b.c.d ... .ru.ru .RU .in.int .org.qa",
])
def test_the_index_finds_every_hint_key_a_text_holds_as_a_search_for_each_would(text):
    index = outlets._index(CATALOG)
    lowered = text.lower()
    assert index._keys_in(lowered) == {key for key in index.hint_groups if key in lowered}
