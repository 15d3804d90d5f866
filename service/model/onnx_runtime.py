"""Thin typed wrappers over onnxruntime sessions for the model's two graphs."""

from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort

from service.model.features import SparseRows


def _session(path: Path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    # One intra-op thread beat two for single documents (RESEARCH.md); workers scale out instead.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class SparseScorer:
    """Scores units (sentences or notes) against every label with the sparse linear graph."""

    def __init__(self, path: Path) -> None:
        self._session = _session(path)

    def scores(self, rows: SparseRows) -> npt.NDArray[np.float32]:
        """A units x labels matrix of linear scores."""
        out = self._session.run(
            ["scores"],
            {
                "feature_ids": rows.cols,
                "unit_ids": rows.rows,
                "values": rows.vals,
                "n_units": np.array([rows.n_rows], dtype=np.int64),
            },
        )
        result: npt.NDArray[np.float32] = out[0]
        return result


class LogisticRanker:
    """Turns candidate feature rows into probabilities of being a right code."""

    def __init__(self, path: Path) -> None:
        self._session = _session(path)

    def probabilities(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """One probability per candidate row."""
        if features.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        out = self._session.run(["probability"], {"features": features.astype(np.float32)})
        result: npt.NDArray[np.float32] = out[0][:, 0]
        return result
