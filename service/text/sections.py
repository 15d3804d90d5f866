"""Clinical section headers at line starts, mapped to canonical snake_case section names.

A header is recognised at the start of a line (after optional indentation, list numbering or
bullets) when it is followed by a colon or dash, or stands alone on its line; case is ignored.
Sections tile the text: from one header to the next, ``unknown`` before the first.
"""

import re

from service.text.types import Section

UNKNOWN = "unknown"

# Canonical name -> header phrasings. Impression maps to assessment (same role in a note);
# "personal history", "background" and "evolution" are how the Spanish-to-English
# translations render "antecedentes personales" and "evolución".
SECTION_HEADERS: dict[str, tuple[str, ...]] = {
    "chief_complaint": ("chief complaint", "cc", "reason for visit", "reason for consultation",
                        "reason for admission", "presenting complaint"),
    "history_of_present_illness": ("history of present illness", "history of the present illness",
                                   "hpi", "present illness", "current illness"),
    "past_medical_history": ("past medical history", "pmh", "pmhx", "medical history",
                             "past history", "personal history", "background"),
    "past_surgical_history": ("past surgical history", "psh", "surgical history"),
    "family_history": ("family history", "family medical history", "fh", "fhx"),
    "social_history": ("social history", "sh", "shx", "habits", "toxic habits"),
    "medications": ("medications", "medication", "current medications", "home medications",
                    "meds", "discharge medications", "medications on admission"),
    "allergies": ("allergies", "allergy", "drug allergies"),
    "review_of_systems": ("review of systems", "ros"),
    "vital_signs": ("vital signs", "vitals"),
    "physical_exam": ("physical exam", "physical examination", "exam", "examination", "pe"),
    "labs": ("labs", "laboratory", "laboratory data", "laboratory results", "laboratory tests",
             "lab results", "analytical", "analytical data", "blood tests"),
    "imaging": ("imaging", "imaging studies", "radiology", "complementary tests"),
    "assessment_and_plan": ("assessment and plan", "assessment/plan", "a/p", "a&p",
                            "impression and plan"),
    "assessment": ("assessment", "impression", "clinical impression"),
    "plan": ("plan", "recommendations", "recommendation"),
    "diagnoses": ("diagnosis", "diagnoses", "final diagnosis", "final diagnoses",
                  "diagnostic impression"),
    "admission_diagnosis": ("admission diagnosis", "admission diagnoses", "admitting diagnosis"),
    "discharge_diagnosis": ("discharge diagnosis", "discharge diagnoses"),
    "preoperative_diagnosis": ("preoperative diagnosis", "pre-operative diagnosis",
                               "preop diagnosis"),
    "postoperative_diagnosis": ("postoperative diagnosis", "post-operative diagnosis",
                                "postop diagnosis"),
    "procedures": ("procedure", "procedures", "procedure performed", "procedures performed",
                   "operation", "operation performed", "operative procedure", "surgery"),
    "indications": ("indication", "indications", "indication for procedure"),
    "anesthesia": ("anesthesia", "anaesthesia"),
    "operative_findings": ("operative findings", "intraoperative findings", "findings"),
    "complications": ("complications",),
    "hospital_course": ("hospital course", "clinical course", "course", "evolution"),
    "treatment": ("treatment", "therapy"),
    "discharge_instructions": ("discharge instructions", "instructions", "follow up",
                               "follow-up"),
}  # fmt: skip


def _header_pattern() -> re.Pattern[str]:
    by_phrase = {p: name for name, phrases in SECTION_HEADERS.items() for p in phrases}
    # Longest phrase first so "assessment and plan" wins over "assessment".
    phrases = sorted(by_phrase, key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"[ \t]+") for p in phrases)
    return re.compile(
        rf"^[ \t]*(?:(?:\d{{1,2}}[.)]|[-*\u2022])[ \t]*)?(?P<header>{alternatives})"
        # A colon, a spaced dash ("Surgery-induced" is no header), or nothing else on the line.
        r"(?::|[ \t]+[-\u2013](?=[ \t])|[ \t]*\r?$)",
        re.IGNORECASE | re.MULTILINE,
    )


_HEADER = _header_pattern()
_NAME_OF = {p: name for name, phrases in SECTION_HEADERS.items() for p in phrases}
_SPACES = re.compile(r"\s+")


def find_sections(text: str) -> tuple[Section, ...]:
    """Return the sections of ``text``: ordered, contiguous, covering ``[0, len(text))``.

    The header itself belongs to the section it opens. Text with no header is one ``unknown``
    section (an empty text too, so that every offset has a section).
    """
    starts: list[tuple[int, str]] = []
    for match in _HEADER.finditer(text):
        phrase = _SPACES.sub(" ", match.group("header").lower())
        starts.append((match.start(), _NAME_OF[phrase]))
    if not starts or starts[0][0] > 0:
        starts.insert(0, (0, UNKNOWN))
    ends = [start for start, _ in starts[1:]] + [len(text)]
    return tuple(Section(start, end, name) for (start, name), end in zip(starts, ends, strict=True))
