"""One pipeline for the whole text test package: it is built once and reused, as in serving."""

import pytest

from service.text import TextPipeline


@pytest.fixture(scope="session")
def pipeline() -> TextPipeline:
    return TextPipeline()
