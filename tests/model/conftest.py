"""A tiny model trained once per test session on a self-written corpus."""

from pathlib import Path

import pytest

from service.catalogue import Catalogue, load_catalogue
from service.config import DEFAULT_CATALOGUE_DIR
from service.model import TrainedModel, load_model
from training.jsonl import LabelledNote, read_jsonl
from training.supervised import Hyperparameters
from training.train import train

TINY_CORPUS = Path(__file__).parents[1] / "fixtures" / "model" / "tiny_corpus.jsonl"
TINY_PARAMS = Hyperparameters(min_df=1, folds=3, per_system=20)


@pytest.fixture(scope="session")
def tiny_notes() -> list[LabelledNote]:
    return read_jsonl(TINY_CORPUS)


def train_tiny(out: Path, notes: list[LabelledNote]) -> Path:
    """Train the tiny model into ``out``."""
    return train(
        notes,
        [TINY_CORPUS],
        out,
        catalogue_dir=DEFAULT_CATALOGUE_DIR,
        params=TINY_PARAMS,
        name="tiny",
        version="0.0.1",
        description="test model",
        metrics={},
    )


@pytest.fixture(scope="session")
def tiny_model_dir(
    tmp_path_factory: pytest.TempPathFactory, tiny_notes: list[LabelledNote]
) -> Path:
    return train_tiny(tmp_path_factory.mktemp("model") / "tiny", tiny_notes)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_CATALOGUE_DIR)


@pytest.fixture(scope="session")
def tiny_model(tiny_model_dir: Path, catalogue: Catalogue) -> TrainedModel:
    return load_model(tiny_model_dir, catalogue)
