"""Multi-label ridge regression in its dual form, and the pruning that makes it servable.

With a few thousand training units and tens of thousands of features, the dual solve
``W = X^T (X X^T + lambda I)^-1 Y`` fits every label at once in seconds (a Cholesky solve),
where one-vs-rest logistic regression took minutes (RESEARCH.md). Keeping the ``top_m`` largest
weights of each feature row lost no MAP on CodiEsp dev and makes the weights small enough to ship.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.linalg
import scipy.sparse as sp

from service.model.features import SparseRows

FloatArray = npt.NDArray[np.float32]


def to_csr(rows: SparseRows, n_features: int) -> sp.csr_matrix:
    """The coordinate rows the service computes, as a scipy CSR matrix."""
    shape = (rows.n_rows, n_features)
    return sp.csr_matrix((rows.vals, (rows.rows, rows.cols)), shape=shape, dtype=np.float32)


def fit_dual_ridge(x: sp.csr_matrix, y: FloatArray, *, alpha: float) -> FloatArray:
    """Weights ``W`` (features x labels) minimising ``|XW - Y|^2 + alpha |W|^2``."""
    gram = (x @ x.T).toarray().astype(np.float64)
    gram[np.diag_indices_from(gram)] += alpha
    dual = scipy.linalg.solve(gram, y.astype(np.float64), assume_a="pos", overwrite_a=True)
    weights: FloatArray = np.asarray(x.T @ dual, dtype=np.float32)
    return weights


@dataclass(frozen=True)
class PrunedWeights:
    """Each feature's ``m`` strongest label weights: ``labels[f, j]`` gets ``weights[f, j]``."""

    labels: npt.NDArray[np.int32]
    weights: FloatArray
    bias: FloatArray

    @property
    def n_labels(self) -> int:
        return int(self.bias.shape[0])

    def dense(self) -> FloatArray:
        """The pruned weights as a dense features x labels matrix (the reference for tests)."""
        out = np.zeros((self.labels.shape[0], self.n_labels), dtype=np.float32)
        rows = np.repeat(np.arange(self.labels.shape[0]), self.labels.shape[1])
        np.add.at(out, (rows, self.labels.ravel()), self.weights.ravel())
        return out


def prune_per_feature(weights: FloatArray, *, top_m: int) -> PrunedWeights:
    """Keep the ``top_m`` largest-magnitude weights of each feature (padding with zeros)."""
    n_features, n_labels = weights.shape
    m = min(top_m, n_labels)
    if m == n_labels:
        idx = np.tile(np.arange(n_labels, dtype=np.int64), (n_features, 1))
    else:
        idx = np.argpartition(-np.abs(weights), m - 1, axis=1)[:, :m]
    kept = np.take_along_axis(weights, idx, axis=1)
    return PrunedWeights(
        labels=idx.astype(np.int32),
        weights=kept.astype(np.float32),
        bias=np.zeros(n_labels, dtype=np.float32),
    )
