"""Assertion of mentions on short real-looking sentences, many in CodiEsp's translated wording."""

import pytest

from service.text import Assertion, TextPipeline

NEG = Assertion.NEGATED
POS = Assertion.POSSIBLE
HYP = Assertion.HYPOTHETICAL
HIS = Assertion.HISTORICAL
FAM = Assertion.FAMILY
PRE = Assertion.PRESENT

CASES = [
    # pre-negation
    ("Denies chest pain.", "chest pain", NEG),
    ("No fever.", "fever", NEG),
    ("Negative for malignancy.", "malignancy", NEG),
    ("Healed wound, free of infection.", "infection", NEG),
    ("Ruled out pneumonia.", "pneumonia", NEG),
    ("The CT rules out pulmonary embolism.", "pulmonary embolism", NEG),
    ("Absence of lymphadenopathy.", "lymphadenopathy", NEG),
    ("He does not have diabetes.", "diabetes", NEG),
    ("No history of myocardial infarction.", "myocardial infarction", NEG),
    ("There was no suspicion of urothelial tumor.", "urothelial tumor", NEG),
    # post-negation
    ("Orchiepididymitis was ruled out.", "Orchiepididymitis", NEG),
    ("Hemolytic symptoms were also ruled out as bilirubin was normal.", "Hemolytic symptoms", NEG),
    ("Hemolytic symptoms were also ruled out as bilirubin was normal.", "bilirubin", PRE),
    ("Serologies for Brucella were negative.", "Brucella", NEG),
    ("The radial pulse is absent.", "radial pulse", NEG),
    ("Metastases were not seen.", "Metastases", NEG),
    ("Mitosis was not observed.", "Mitosis", NEG),
    # CodiEsp's machine-translated phrasings, with coordination inside the scope
    ("Auscultation cardiac arrhythmia, not murmurs, ropes or extracts.", "murmurs", NEG),
    ("Auscultation cardiac arrhythmia, not murmurs, ropes or extracts.", "extracts", NEG),
    ("Auscultation cardiac arrhythmia, not murmurs, ropes or extracts.", "arrhythmia", PRE),
    ("Extremities without varices or edemas.", "varices", NEG),
    ("Extremities without varices or edemas.", "edemas", NEG),
    ("Abdomen blade, depressible, without masses or enlargement.", "masses", NEG),
    ("Abdomen blade, depressible, without masses or enlargement.", "enlargement", NEG),
    (
        "Neurological examination revealed no meningeal signs or focality data.",
        "meningeal signs",
        NEG,
    ),
    ("Neurological examination revealed no meningeal signs or focality data.", "focality", NEG),
    ("No fever, chills or cough.", "cough", NEG),
    ("No mitosis or atypia were observed.", "atypia", NEG),
    # scope termination
    ("No fever but has a cough.", "cough", PRE),
    ("No fever; productive cough.", "cough", PRE),
    ("No edema, however there is ascites.", "ascites", PRE),
    ("Without masses, with hepatomegaly of 3 cm.", "hepatomegaly", PRE),
    ("Patient without fever who presents pneumonia.", "pneumonia", PRE),
    ("No diabetes, history of asthma.", "asthma", HIS),
    ("No symptoms such as fever or cough.", "cough", NEG),
    # possible
    ("Possible pneumonia.", "pneumonia", POS),
    ("Suspicion of acute appendicitis.", "appendicitis", POS),
    ("Probable viral meningitis.", "meningitis", POS),
    ("Rule out sepsis.", "sepsis", POS),
    ("R/O sepsis.", "sepsis", POS),
    ("Tuberculosis cannot be ruled out.", "Tuberculosis", POS),
    ("Pulmonary embolism is suspected.", "Pulmonary embolism", POS),
    ("With the presumptive diagnosis of bladder leiomyoma, resection was done.", "leiomyoma", POS),
    # decided: "compatible with" / "consistent with" report a finding, and CodiEsp codes it
    ("Biopsy compatible with adenocarcinoma.", "adenocarcinoma", PRE),
    # hypothetical
    ("Return if pain recurs.", "pain", HYP),
    ("Should chest pain develop, call 911.", "chest pain", HYP),
    ("Antibiotics in case of fever.", "fever", HYP),
    ("Heparin to prevent deep vein thrombosis.", "thrombosis", HYP),
    # historical
    ("History of myocardial infarction.", "myocardial infarction", HIS),
    ("Previous appendectomy.", "appendectomy", HIS),
    ("Prior stroke in 2010.", "stroke", HIS),
    ("Antecedents of arterial hypertension.", "hypertension", HIS),
    ("A two-month history of malaise.", "malaise", PRE),
    ("A 37-year-old man with pneumonia.", "man", PRE),
    # family
    ("Mother had breast cancer.", "breast cancer", FAM),
    ("Family history of colon cancer.", "colon cancer", FAM),
    ("Colon cancer in his father.", "Colon cancer", FAM),
    ("Mother had breast cancer, but the patient has asthma.", "asthma", PRE),
    # present controls
    ("Chest pain.", "Chest pain", PRE),
    ("Pneumonia confirmed.", "Pneumonia", PRE),
    ("The patient presented with a painful left inguinal mass.", "inguinal mass", PRE),
    ("Gram negative bacilli in the culture.", "bacilli", PRE),
    ("No significant change in the nodule.", "nodule", PRE),
    # scope never crosses a sentence or a line
    ("No fever.\nCough.", "Cough", PRE),
    ("No fever. Cough since Monday.", "Cough", PRE),
    # precedence: negated over the others
    ("No family history of diabetes.", "diabetes", NEG),
    ("Possible pneumonia was ruled out.", "pneumonia", NEG),
]


@pytest.mark.parametrize(("sentence", "mention", "expected"), CASES)
def test_mention_assertion(
    pipeline: TextPipeline, sentence: str, mention: str, expected: Assertion
) -> None:
    start = sentence.index(mention)
    analyzed = pipeline.analyze(sentence)
    assert analyzed.assertion_of(start, start + len(mention)) is expected


def test_sections_give_family_and_history(pipeline: TextPipeline) -> None:
    text = "HPI: chest pain\nFamily History:\nDiabetes\nPMH: asthma, no COPD\nPlan: aspirin"
    analyzed = pipeline.analyze(text)

    def of(word: str) -> Assertion:
        start = text.index(word)
        return analyzed.assertion_of(start, start + len(word))

    assert of("chest pain") is PRE
    assert of("Diabetes") is FAM
    assert of("asthma") is HIS
    assert of("COPD") is NEG
    assert of("aspirin") is PRE


def test_token_assertions_line_up_with_tokens(pipeline: TextPipeline) -> None:
    text = "Denies chest pain, reports cough."
    analyzed = pipeline.analyze(text)
    assert len(analyzed.token_assertions) == len(analyzed.tokens)
    pairs = zip(analyzed.tokens, analyzed.token_assertions, strict=True)
    by_word = {text[t.start : t.end]: a for t, a in pairs}
    # The trigger itself is not in its own scope; "reports" ends it.
    assert by_word == {"Denies": PRE, "chest": NEG, "pain": NEG, "reports": PRE, "cough": PRE}
