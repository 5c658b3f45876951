"""Wire copy fingerprints: near-identical copy of one story is one story; a rewrite or another story is not."""

from __future__ import annotations

from app.extract.wirecopy import FINGERPRINT_WORDS, fingerprint, runs_of, same_story, shingle_hashes

STORY = ("Russian and American diplomats failed to agree on Monday on how to revive the truce, and aid convoys "
         "stayed at the border as the fighting resumed around Aleppo, officials said. The talks are to resume "
         "in Geneva next week, a spokesman said.")
TRIMMED = STORY.split(". The talks")[0] + "."  # a host that dropped the last sentence
RETITLED = "Truce talks stall in Geneva\n\n" + STORY.replace("the fighting", "fighting")
# The same agency the next day, on the same events, in other words: another story.
REWRITTEN = ("Diplomats from Moscow and Washington ended a second day of talks without a deal to save the "
             "ceasefire on Tuesday, while the convoys waited and shelling went on in the east of Aleppo.")
OTHER = ("The UN Security Council met in New York on Sunday after the airstrike near Deir ez-Zor, and envoys "
         "traded blame for the collapse of the truce, diplomats said.")


def runs(text: str) -> frozenset[int]:
    return runs_of(fingerprint(text))


def test_a_story_its_trimmed_and_retitled_reprints_are_one_story() -> None:
    assert same_story(runs(STORY), runs(TRIMMED))
    assert same_story(runs(STORY), runs(TRIMMED.upper()))  # case and punctuation aside
    assert same_story(runs(RETITLED), runs(TRIMMED))


def test_a_rewritten_or_different_story_is_another_story() -> None:
    assert not same_story(runs(STORY), runs(REWRITTEN))
    assert not same_story(runs(STORY), runs(OTHER))


def test_a_fingerprint_holds_exactly_the_texts_runs_and_stays_small() -> None:
    assert runs(STORY) == shingle_hashes(STORY)
    long_text = " ".join(f"word{i}" for i in range(5 * FINGERPRINT_WORDS))
    assert len(runs(long_text)) == FINGERPRINT_WORDS - 3  # only the opening is kept
    assert len(fingerprint(long_text)) < 8 * FINGERPRINT_WORDS


def test_a_text_without_words_matches_nothing() -> None:
    assert runs("") == frozenset()
    assert not same_story(runs(""), runs(""))
    assert not same_story(runs("..."), runs(STORY))
