"""The trained model as the service runs it: ONNX graphs, plain data files and a manifest."""

from service.model.loading import ModelLoadError, load_model, read_model_manifest
from service.model.predictor import TrainedModel

__all__ = ["ModelLoadError", "TrainedModel", "load_model", "read_model_manifest"]
