"""Words a regular expression cannot match without, read from its parsed form, so a text lacking all
of them can be passed over before the (much slower) expression runs."""

from __future__ import annotations

import re
import re._parser as sre_parse  # the standard library's own regex parser (sre_parse before 3.11)
from re._constants import BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN

MIN_WORD = 3  # shorter letter runs ("of", "to") are in every sentence and would filter nothing


def required_words(patterns: list[str]) -> frozenset[str]:
    """Words one of which every match of any of the patterns contains (as a substring of the lower-cased
    text); empty when some pattern has no such word, meaning: no test, always run the expressions."""
    words: set[str] = set()
    for pattern in patterns:
        best = _most_selective(_mandatory(sre_parse.parse(pattern, re.IGNORECASE)))
        if best is None:
            return frozenset()
        words |= best
    return frozenset(words)


def second_required_words(pattern: str) -> frozenset[str]:
    """Another set of words every match of the pattern contains, beside required_words([pattern]): the most
    selective of the rest (empty when there is none). "(ceasefire|truce) ... (began|started)" has both."""
    sets = _mandatory(sre_parse.parse(pattern, re.IGNORECASE))
    first = _most_selective(sets)
    return _most_selective([words for words in sets if words != first]) or frozenset()


def _most_selective(sets: list[frozenset[str]]) -> frozenset[str] | None:
    """Of the pattern's mandatory word sets, the one whose words are longest: long words are rare."""
    if not sets:
        return None
    return max(sets, key=lambda s: (min(len(w) for w in s), sum(len(w) for w in s) / len(s)))


RUN_JOINERS = ".-'"  # inside a literal run they keep it whole: "rt.com" is rarer than "com", "al-" than "al"


def _mandatory(items) -> list[frozenset[str]]:
    """Sets of words, at least one word of each set in every match of this sequence."""
    sets: list[frozenset[str]] = []
    run = ""

    def end_run() -> None:
        nonlocal run
        if len(run) >= MIN_WORD:
            sets.append(frozenset([run]))
        run = ""

    for op, arg in items:
        if op is LITERAL and (chr(arg).isalnum() or (run and chr(arg) in RUN_JOINERS)):
            run += chr(arg).lower()
            continue
        end_run()
        if op is SUBPATTERN:
            sets.extend(_mandatory(arg[-1]))
        elif op is BRANCH:  # each branch's own words, together: "(effective|set to (begin|start))"
            leads = [_most_selective(_mandatory(branch)) for branch in arg[1]]
            if all(leads):
                sets.append(frozenset().union(*leads))
        elif op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
            sets.extend(_mandatory(arg[2]))
    end_run()
    return sets
