"""Kinds, milestones, hypotheticals and speakers, on sentences written for these tests."""

from pathlib import Path

import pytest

from app.extract import events
from app.store.seedfiles import load_catalog

CATALOG = load_catalog(Path(__file__).resolve().parent.parent / "seeds")


def milestones_in(sentence: str) -> set[str]:
    return {m.milestone.slug for m in events.milestone_matches(sentence, CATALOG) if not m.hypothetical}


@pytest.mark.parametrize("sentence, slug", [
    ("The cessation of hostilities went into effect at sunset.", "truce-begins"),
    ("Washington and Moscow agreed the plan after fourteen hours of talks.", "geneva-agreement"),
    ("The truce was prolonged by another 48 hours.", "first-extension"),
    ("Both sides agreed to extend it for 72 hours more.", "second-extension"),
    ("Coalition jets struck Syrian army positions on a hill near the airport.", "deir-ezzor-airstrike"),
    ("Thirty trucks in the convoy were destroyed near Aleppo.", "aid-convoy-attack"),
    ("Gunmen attacked the relief convoy at dusk.", "aid-convoy-attack"),
    ("The army declared the regime of calm over.", "army-declares-truce-over"),
    ("By then the ceasefire had effectively collapsed.", "truce-collapse"),
    ("The Security Council meeting ended in acrimony.", "unsc-session-barbarism"),
    ("Washington said it would suspend bilateral contacts with Moscow.", None),  # future: not yet
    ("The State Department suspended bilateral talks with Russia.", "us-suspends-talks"),
])
def test_milestone_phrases(sentence, slug):
    found = milestones_in(sentence)
    assert (slug in found) if slug else not found, found


@pytest.mark.parametrize("sentence, slug", [
    ("If the ceasefire broke down, Moscow would be blamed.", "truce-collapse"),
    ("Diplomats said the deal might have collapsed already.", "truce-collapse"),
    ("An agreement was nearly reached on a new joint centre.", "geneva-agreement"),
])
def test_hypotheticals_are_not_events(sentence, slug):
    matches = [m for m in events.milestone_matches(sentence, CATALOG) if m.milestone.slug == slug]
    assert matches and all(m.hypothetical for m in matches)


def test_a_reference_to_the_agreement_is_marked_as_such():
    matches = events.milestone_matches("Both sides must abide by the Geneva agreement.", CATALOG)
    assert [(m.milestone.slug, m.reference) for m in matches] == [("geneva-agreement", True)]


@pytest.mark.parametrize("sentence, dates_speech", [
    ("The envoy said on Thursday that aid would move.", True),
    ("On Friday the spokesman told reporters the roads were open.", True),
    ("Signed in Geneva on September 9, the deal was welcomed, officials said.", False),
    ("The truce came into effect on Monday.", False),
])
def test_time_expression_dating_the_saying(sentence, dates_speech):
    from app.extract.timex import find_expressions
    expr = find_expressions(sentence)[0]
    assert events.dates_a_statement(sentence, expr.start, expr.end) is dates_speech


@pytest.mark.parametrize("text, kind", [
    ("Monitors counted 40 violations across three provinces.", "violation_claim"),
    ("Only the government side is observing the truce, the ministry said.", "violation_claim"),
    ("Aid trucks were still unable to enter the besieged districts.", "aid_access"),
    ("Negotiators held talks by phone late into the night.", "talks"),
    ("The president said the situation was complicated.", "statement"),
    ("Prices of bread rose in the city.", "other"),
])
def test_kind_from_words(text, kind):
    assert events.kind_from_words(text, events.has_reported_speech(text)) == kind


@pytest.mark.parametrize("sentence, speaker", [
    ("“We will respond,” Defence Minister Anna Petrova said on Tuesday.", "Anna Petrova"),
    ("The ministry's spokesman, Colonel Ivan Orlov, said the roads were open.", "Ivan Orlov"),
    ("“It holds,” said Omar Haddad, a local council member.", "Omar Haddad"),
    ("The Turkish Foreign Ministry said it welcomed the move.", "Turkish Foreign Ministry"),
    ("Our reporter Sara Lind, speaking from Gaziantep, said aid was waiting.", "Sara Lind"),
    ("State television cited Bashar al-Jaafari as saying talks were over.", "Bashar al-Jaafari"),
    ("On Monday Kerry told reporters the plan was alive.", "Kerry"),
    ("Fighting continued in the east.", None),
])
def test_speakers(sentence, speaker):
    assert events.find_speaker(sentence, None) == speaker


def test_he_and_she_refer_to_the_previous_speaker():
    assert events.find_speaker("“Nothing has changed,” she added.", "Maria Zakharova") == "Maria Zakharova"


def test_truce_in_force_wording():
    assert events.presumes_truce_in_force("Rebels violated the truce twice on Friday.", CATALOG)
    assert not events.presumes_truce_in_force("The two ministers met on Friday.", CATALOG)


def test_the_one_who_said_it_beats_the_one_who_accused():
    assert events.find_speaker("Russia accused the US of shielding militants, Konashenkov said.", None) == "Konashenkov"


def test_a_surname_is_the_full_name_given_earlier():
    from app.extract.article import extract_article

    text = ("“The roads are open,” said Major-General Igor Petrov on Monday. "
            "“Aid can move,” Petrov added on Tuesday.")
    article = extract_article(text, source="a.txt", catalog=CATALOG)
    assert {r.speaker for r in article.reports} == {"Igor Petrov"}


@pytest.mark.parametrize("sentence, slug", [
    # The deal, however it is made and spelled.
    ("Moscow and Washington hammered out a truce plan overnight.", "geneva-agreement"),
    ("Kerry and Lavrov unveiled the accord after a day of haggling.", "geneva-agreement"),
    ("The two powers finalised an arrangement on Syria.", "geneva-agreement"),
    ("Both capitals are now bound by the terms of the deal.", "geneva-agreement"),
    # The truce taking effect.
    ("The cease-fire came into effect at sundown.", "truce-begins"),
    ("A nationwide cease fire starting at sunset held in most places.", "truce-begins"),
    ("The truce, coming into force at dusk, brought quiet.", "truce-begins"),
    ("Shops reopened with the onset of the cessation of hostilities.", "truce-begins"),
    # Its end.
    ("The pact fell apart within a week.", "truce-collapse"),
    ("By Tuesday the cease-fire was in tatters.", "truce-collapse"),
    ("The week-long truce came to an end amid heavy bombing.", "truce-collapse"),
    # The strike near Deir ez-Zor, in the spellings agencies use.
    ("Warplanes struck Syrian government forces outside the city.", "deir-ezzor-airstrike"),
    ("Fighting went on around Deir al-Zour.", "deir-ezzor-airstrike"),
    ("Residents of Deir el-Zor reported explosions.", "deir-ezzor-airstrike"),
    ("The US-led coalition killed dozens of Syrian soldiers by mistake.", "deir-ezzor-airstrike"),
    # The convoy.
    ("Bombs hit a line of aid lorries west of Aleppo.", "aid-convoy-attack"),
    ("Relief trucks were targeted as they unloaded.", "aid-convoy-attack"),
    # The council's emergency meeting.
    ("Moscow demanded an emergency session of the Security Council.", "unsc-emergency-meeting"),
    ("The United Nations called an emergency meeting that night.", "unsc-emergency-meeting"),
    ("Moscow asked for an emergency UN Security Council session.", "unsc-emergency-meeting"),
    # Fighting resuming is the truce's end.
    ("Government forces resumed military operations around the city.", "truce-collapse"),
    ("Set to begin at dusk, the cease-fire was greeted with relief.", "truce-begins"),
])
def test_milestone_phrases_in_many_styles(sentence, slug):
    assert slug in milestones_in(sentence), milestones_in(sentence)


def test_a_reference_in_other_words():
    for sentence in ("Both sides must respect the Russo-American agreement.",
                     "Critics of the Sept. 9 cease-fire deal were many.",
                     "The US-Russian truce plan was never published."):
        matches = events.milestone_matches(sentence, CATALOG)
        assert [(m.milestone.slug, m.reference) for m in matches] == [("geneva-agreement", True)], sentence


def test_a_milestone_claiming_the_words_more_fully_wins_over_its_kind():
    # "extended ... by 72 hours" is the second extension; "extended the truce" alone could be either.
    assert milestones_in("The truce was extended by 72 hours on Friday.") == {"second-extension"}
    assert milestones_in("Moscow and Washington extended the truce.") == {"first-extension", "second-extension"}
    both = "Russia prolonged the truce for 48 hours, and later it was extended for another 72 hours."
    assert milestones_in(both) == {"first-extension", "second-extension"}


@pytest.mark.parametrize("sentence, word, expected", [
    ("The deal calls for a truce starting on Monday.", "Monday", True),
    ("A ceasefire effective from sundown on Monday.", "Monday", True),
    ("The truce is due to expire on Friday.", "Friday", True),
    ("The army kept firing until Friday.", "Friday", True),
    ("Rebels shelled the town on Monday.", "Monday", False),
    ("Starting the engines, the drivers left on Monday, after a long wait at the border crossing.",
     "Monday", False),  # the word is too far back to set the time
])
def test_words_that_set_a_time(sentence, word, expected):
    assert events.is_scheduled(sentence, sentence.index(word)) is expected


def test_a_truces_start_and_end_as_set_out_are_references_that_date_it_only_with_a_date():
    sentence = "The regime of calm applies nationwide as of 19:00 on 12 September and until midnight on the 18th."
    matches = {m.milestone.slug: m.reference for m in events.milestone_matches(sentence, CATALOG)}
    assert matches == {"truce-begins": True, "army-declares-truce-over": True}


def test_over_as_a_preposition_ends_no_truce():
    assert "army-declares-truce-over" not in milestones_in(
        "Both ministers announced a plan that foresees a ceasefire and aid deliveries over all of Syria.")
    assert "army-declares-truce-over" in milestones_in("The army announced that the regime of calm was over.")


def test_shelling_of_government_troops_is_not_the_coalition_airstrike():
    assert "deir-ezzor-airstrike" not in milestones_in(
        "On the contrary, the shelling of the Syrian government troops' positions is only growing.")


@pytest.mark.parametrize("sentence, slug", [
    ("Diplomats kept up their attempts to extend the cease-fire by 48 hours.", "first-extension"),
    ("Hopes of reaching a deal in Geneva faded.", "geneva-agreement"),
    ("Moscow is trying to extend the truce for 72 hours.", "second-extension"),
])
def test_an_aim_is_not_an_event(sentence, slug):
    matches = [m for m in events.milestone_matches(sentence, CATALOG) if m.milestone.slug == slug]
    assert matches and all(m.hypothetical for m in matches), matches


def test_a_hope_that_something_happens_leaves_what_is_told_as_fact():
    assert "geneva-agreement" in milestones_in("Moscow had hoped that the truce, agreed in Geneva, would hold.")
