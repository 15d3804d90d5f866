"""The trained model as the service runs it: ONNX graphs, plain data files and a manifest."""

from service.model.loading import ModelLoadError, load_model

__all__ = ["ModelLoadError", "load_model"]
