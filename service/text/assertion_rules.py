"""The ConText trigger lexicon: which phrases change a mention's assertion, and in which direction.

Phrases are written as plain text and compiled through the same tokenizer as the notes, so
``"r/o"`` matches the tokens ``r o`` and ``"can't"`` matches ``cant``. The lists follow NegEx /
ConText (Chapman et al.) and medspaCy's English rules, trimmed and extended for the wording of
CodiEsp's machine translations ("was discarded", "antecedents of", "without varices or edemas").
"""

from dataclasses import dataclass
from enum import Enum
from itertools import product

from service.text.types import Assertion


class Direction(Enum):
    """Which way a trigger's scope runs from the trigger, within its sentence."""

    FORWARD = "forward"  # "no fever"
    BACKWARD = "backward"  # "pneumonia was ruled out"
    EITHER = (
        "either"  # forward when words follow, else backward: "denied chest pain" / "pain denied"
    )
    PSEUDO = "pseudo"  # looks like a trigger but is not: "no change", "gram negative"
    TERMINATE = "terminate"  # ends any scope: "but", "however", "which"


@dataclass(frozen=True, slots=True)
class Rule:
    """One lexicon entry: a phrase, the category it assigns (None for pseudo/terminate)."""

    phrase: str
    category: Assertion | None
    direction: Direction
    after_comma: bool = False  # only fires when a comma precedes it (", with ...")


def _rules(category: Assertion | None, direction: Direction, *phrases: str) -> list[Rule]:
    return [Rule(p, category, direction) for p in phrases]


_AUX = ("was", "were", "is", "are", "be", "been", "being", "has been", "have been", "had been")
_ADVERB = ("", "also", "finally", "subsequently", "therefore", "completely", "definitely", "then")
_RULED_OUT = ("ruled out", "excluded", "discarded")
_PASSIVE_NEGATION = tuple(
    " ".join(w for w in (aux, adv, verb) if w)
    for aux, adv, verb in product(_AUX, _ADVERB, _RULED_OUT)
)
_CANNOT = ("cannot", "can not", "can't", "could not", "couldn't", "may not", "not")
_PASSIVE_POSSIBLE = tuple(
    f"{neg} {be}{verb}" for neg, be, verb in product(_CANNOT, ("be ", "been ", ""), _RULED_OUT)
)
_RELATIVES = ("mother", "father", "brother", "brothers", "sister", "sisters", "sibling", "siblings",
              "son", "sons", "daughter", "daughters", "aunt", "uncle", "grandmother",
              "grandfather", "grandparents", "cousin", "parents", "parent", "mom", "dad",
              "relative", "relatives", "family member", "family members",
              "first degree relative", "first degree relatives")  # fmt: skip
_IN_RELATIVE = tuple(
    f"{prep} {det}{rel}"
    for prep, det, rel in product(
        ("in", "of"), ("", "his ", "her ", "the ", "a ", "their "), (*_RELATIVES, "family")
    )
)
# "a two-month history of malaise" is the current illness; "37-year-old" is an age, not "old".
_DURATION_HISTORY = tuple(
    f"{unit} {tail}"
    for tail in ("history of", "old")
    for unit in ("hour", "hours", "day", "days", "week", "weeks", "month",
                                      "months", "year", "years")
)  # fmt: skip

RULES: tuple[Rule, ...] = tuple(
    _rules(Assertion.NEGATED, Direction.FORWARD,
           "no", "not", "denies", "deny", "denying", "negative for", "without", "free of",
           "rules out", "ruling out", "absence of", "in the absence of", "no evidence of",
           "no signs of", "no sign of", "without evidence of", "without signs of",
           "no history of", "no previous", "no prior", "no past", "no personal history of",
           "no family history of", "never", "neither", "nor", "none", "lack of", "lacks",
           "excluding", "discarding", "did not", "does not", "do not", "didn't", "doesn't",
           "failed to reveal", "fails to reveal", "no suspicion of", "no suspicion for",
           "without suspicion of", "not suggestive of", "not suspicious for",
           "not compatible with", "not consistent with")
    + _rules(Assertion.NEGATED, Direction.EITHER,
             "denied", "ruled out", "excluded", "discarded")
    + _rules(Assertion.NEGATED, Direction.BACKWARD,
             "negative", "absent", "not seen", "not observed", "not detected", "not found",
             "not identified", "not evident", "not present", "not visualized", "not visualised",
             "not appreciated", "not demonstrated", "not shown", "not noted", "not evidenced",
             "unremarkable", *_PASSIVE_NEGATION)
    + _rules(None, Direction.PSEUDO,
             "no increase", "no change", "no significant change", "no interval change",
             "not only", "not necessarily", "not certain whether", "gram negative",
             "negative pressure", "without difficulty", "prior to", "as well as", "such as",
             "history of present illness", "history of the present illness",
             "history of current illness", *_DURATION_HISTORY)
    + _rules(Assertion.POSSIBLE, Direction.FORWARD,
             "possibly", "probably", "suspect", "suspicion of", "suspicion for",
             "suspicious for", "suspicious of", "rule out", "r/o", "to rule out", "to exclude",
             "questionable", "question of", "concern for", "concerning for", "cannot rule out",
             "can't rule out", "could not rule out", "cannot exclude", "may represent",
             "might represent", "could represent", "suggestive of", "suggesting", "suggests",
             "differential diagnosis", "presumptive diagnosis of", "presumptive", "presumed",
             "doubtful", "equivocal", "versus", "vs")
    + _rules(Assertion.POSSIBLE, Direction.EITHER,
             "possible", "probable", "suspected", "likely", "unlikely")
    + _rules(Assertion.POSSIBLE, Direction.BACKWARD, *_PASSIVE_POSSIBLE)
    + _rules(Assertion.HYPOTHETICAL, Direction.FORWARD,
             "if", "in case of", "in case", "should", "in the event of", "unless", "whether",
             "at risk for", "at risk of", "risk of", "to prevent", "prevention of",
             "prophylaxis", "prophylaxis of", "prophylactic", "to avoid", "watch for",
             "monitor for", "look out for")
    + _rules(Assertion.HISTORICAL, Direction.FORWARD,
             "history of", "hx of", "h/o", "past history of", "personal history of",
             "medical history of", "previous", "previously", "prior", "past", "status post",
             "s/p", "former", "formerly", "old", "remote", "in childhood", "antecedent of",
             "antecedents of", "background of")
    + _rules(Assertion.HISTORICAL, Direction.EITHER, "in the past")
    + _rules(Assertion.FAMILY, Direction.FORWARD,
             "family history of", "family history", "fh of", "familial history of",
             *_RELATIVES)
    + _rules(Assertion.FAMILY, Direction.BACKWARD, *_IN_RELATIVE)
    + _rules(None, Direction.TERMINATE,
             "but", "however", "although", "though", "except", "except for", "apart from",
             "aside from", "which", "who", "whose", "whom", "where", "whereas", "while",
             "nevertheless", "nonetheless", "presents", "presented", "presenting", "reveals",
             "revealed", "revealing", "shows", "showed", "showing", "complains", "complained",
             "complaining", "reports", "reporting", "admits", "endorses", "patient", "pt", "as",
             "because", "since")
    + [Rule("with", None, Direction.TERMINATE, after_comma=True)]
)  # fmt: skip
