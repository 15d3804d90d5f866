"""The clinical text pipeline shared by training (features) and serving (evidence).

See docs/text-pipeline.md for the section names, the assertion rules and their precedence.
"""

from service.text.pipeline import AnalyzedText, TextPipeline
from service.text.sections import SECTION_HEADERS, UNKNOWN
from service.text.tokens import normalize_word, tokenize
from service.text.types import Assertion, Section, Sentence, Token

__all__ = [
    "SECTION_HEADERS",
    "UNKNOWN",
    "AnalyzedText",
    "Assertion",
    "Section",
    "Sentence",
    "TextPipeline",
    "Token",
    "normalize_word",
    "tokenize",
]
