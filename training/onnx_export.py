"""Build the ONNX graphs the service runs: a sparse linear scorer and a logistic ranker.

The scorer is the design RESEARCH.md found fast and exact, adapted to pruned weights: gather
each input feature's label ids and weights, scale by the feature value and scatter-add them into
a units x labels score matrix. One small graph instead of skl2onnx's one subgraph per label.
"""

from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnx
from onnx import TensorProto, helper, numpy_helper

from training.linear import PrunedWeights

OPSET = 18


def _save(graph: onnx.GraphProto, path: Path) -> None:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 9
    onnx.checker.check_model(model)
    onnx.save_model(model, str(path))


def export_sparse_scorer(pruned: PrunedWeights, path: Path, *, name: str) -> None:
    """Write ``scores[u, c] = bias[c] + sum_i values[i] * W[feature_ids[i], c]`` for unit u."""
    inits = [
        numpy_helper.from_array(pruned.labels, "label_table"),
        numpy_helper.from_array(pruned.weights, "weight_table"),
        numpy_helper.from_array(pruned.bias, "bias"),
        numpy_helper.from_array(np.array([pruned.n_labels], dtype=np.int64), "n_labels"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
    ]
    nodes = [
        helper.make_node("Gather", ["label_table", "feature_ids"], ["lab32"], axis=0),
        helper.make_node("Cast", ["lab32"], ["lab"], to=TensorProto.INT64),
        helper.make_node("Gather", ["weight_table", "feature_ids"], ["w"], axis=0),
        helper.make_node("Unsqueeze", ["values", "axis1"], ["v2"]),
        helper.make_node("Mul", ["w", "v2"], ["contrib"]),
        helper.make_node("Unsqueeze", ["unit_ids", "axis1"], ["u2"]),
        helper.make_node("Mul", ["u2", "n_labels"], ["base"]),
        helper.make_node("Add", ["base", "lab"], ["pos"]),
        helper.make_node("Reshape", ["pos", "flat"], ["pos1"]),
        helper.make_node("Reshape", ["contrib", "flat"], ["contrib1"]),
        helper.make_node("Mul", ["n_units", "n_labels"], ["total"]),
        helper.make_node(
            "ConstantOfShape",
            ["total"],
            ["zeros"],
            value=numpy_helper.from_array(np.zeros(1, dtype=np.float32)),
        ),
        helper.make_node(
            "ScatterElements", ["zeros", "pos1", "contrib1"], ["sums"], axis=0, reduction="add"
        ),
        helper.make_node("Concat", ["n_units", "n_labels"], ["shape"], axis=0),
        helper.make_node("Reshape", ["sums", "shape"], ["raw"]),
        helper.make_node("Add", ["raw", "bias"], ["scores"]),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        [
            helper.make_tensor_value_info("feature_ids", TensorProto.INT64, ["N"]),
            helper.make_tensor_value_info("unit_ids", TensorProto.INT64, ["N"]),
            helper.make_tensor_value_info("values", TensorProto.FLOAT, ["N"]),
            helper.make_tensor_value_info("n_units", TensorProto.INT64, [1]),
        ],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["U", pruned.n_labels])],
        inits,
    )
    _save(graph, path)


def export_logistic(
    coef: npt.NDArray[np.float32], intercept: float, path: Path, *, name: str
) -> None:
    """Write ``p = sigmoid(features @ coef + intercept)`` for a batch of candidate rows."""
    inits = [
        numpy_helper.from_array(coef.astype(np.float32).reshape(-1, 1), "coef"),
        numpy_helper.from_array(np.array([intercept], dtype=np.float32), "intercept"),
    ]
    nodes = [
        helper.make_node("MatMul", ["features", "coef"], ["logit0"]),
        helper.make_node("Add", ["logit0", "intercept"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["probability"]),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["K", coef.shape[0]])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["K", 1])],
        inits,
    )
    _save(graph, path)
