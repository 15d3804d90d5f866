"""Dual ridge regression and per-feature pruning."""

import numpy as np
import scipy.sparse as sp

from training.linear import fit_dual_ridge, prune_per_feature


def test_dual_ridge_equals_the_primal_closed_form() -> None:
    rng = np.random.default_rng(0)
    x = sp.csr_matrix(rng.random((6, 4)).astype(np.float32))
    y = (rng.random((6, 3)) > 0.5).astype(np.float32)
    alpha = 0.5
    dense = x.toarray().astype(np.float64)
    primal = np.linalg.solve(dense.T @ dense + alpha * np.eye(4), dense.T @ y)
    assert np.allclose(fit_dual_ridge(x, y, alpha=alpha), primal, atol=1e-5)


def test_pruning_keeps_each_features_largest_weights() -> None:
    weights = np.array([[0.1, -0.9, 0.5], [0.0, 0.2, -0.3]], dtype=np.float32)
    pruned = prune_per_feature(weights, top_m=2)
    expected = np.array([[0.0, -0.9, 0.5], [0.0, 0.2, -0.3]], dtype=np.float32)
    assert np.array_equal(pruned.dense(), expected)
    assert pruned.n_labels == 3
