"""What the model knows about codes besides labelled notes: catalogue terms and evidence words."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from service.catalogue import Catalogue, CodeEntry
from service.codesystems import CodeSystem
from service.model.matcher import STOPWORDS, content_words
from training.corpus import AnalysedNote

#: Systems whose catalogue terms are matched in notes. ICD-10-PCS descriptions are long axis
#: strings ("Excision of ..., Percutaneous Endoscopic Approach") that notes never spell out.
MATCHED_SYSTEMS = (CodeSystem.ICD10CM, CodeSystem.CPT)
ASSOCIATED_WORDS = 8
# Negation triggers frame a finding rather than name it: as evidence words they would
# highlight "denies" as the support for a code.
FRAMING_WORDS = frozenset(
    {"denies", "denied", "deny", "negative", "absent", "absence", "ruled", "rule", "excluded"}
)


def entry_terms(entry: CodeEntry) -> list[tuple[str, ...]]:
    """The content-word sets a note may use for a code: description, inclusions, keywords."""
    texts = [entry.display, *entry.inclusion_terms, *entry.keywords]
    terms = [content_words(text) for text in texts]
    return list(dict.fromkeys(t for t in terms if t))


def catalogue_terms(
    catalogue: Catalogue, systems: Iterable[CodeSystem]
) -> dict[tuple[str, str], list[tuple[str, ...]]]:
    """Terms of every catalogue code of the matched systems, keyed by ``(system, code)``."""
    terms: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for system in systems:
        for entry in catalogue.iter_codes(system):
            found = entry_terms(entry)
            if found:
                terms[(system.value, entry.code)] = found
    return terms


def evidence_words(
    notes: Sequence[AnalysedNote],
    index: dict[tuple[str, str], int],
    terms: dict[tuple[str, str], list[tuple[str, ...]]],
) -> dict[int, list[str]]:
    """Per supervised label: its catalogue words plus the words most tied to it in training."""
    overall: Counter[str] = Counter()
    per_label: dict[int, Counter[str]] = defaultdict(Counter)
    for item in notes:
        for words, keys in zip(item.unit_words, item.unit_label_keys(), strict=True):
            distinct = {
                w for w in words if w not in STOPWORDS and w not in FRAMING_WORDS and len(w) > 2
            }
            overall.update(distinct)
            for key in keys:
                if key in index:
                    per_label[index[key]].update(distinct)
    out: dict[int, list[str]] = {}
    for key, label in index.items():
        own = {w for term in terms.get(key, []) for w in term}
        counts = per_label.get(label, Counter())
        ranked = sorted(counts, key=lambda w: (-counts[w] / (overall[w] + 5), w))
        out[label] = sorted(own | set(ranked[:ASSOCIATED_WORDS]))
    return out
