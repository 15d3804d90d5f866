"""Map ranker outputs to calibrated probabilities (isotonic regression, fitted on held-out folds).

Stored as the isotonic step function's breakpoints and applied with linear interpolation, so a
score of 0.8 means about 80% of such suggestions were right on the held-out folds.
"""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt


class Calibration:
    """A monotone map from raw ranker probability to calibrated probability."""

    def __init__(self, x: Sequence[float], y: Sequence[float]) -> None:
        if len(x) != len(y) or len(x) < 2:
            raise ValueError("a calibration needs at least two matching breakpoints")
        self.x = np.asarray(x, dtype=np.float64)
        self.y = np.clip(np.asarray(y, dtype=np.float64), 0.0, 1.0)
        if np.any(np.diff(self.x) < 0) or np.any(np.diff(self.y) < 0):
            raise ValueError("calibration breakpoints must be non-decreasing")

    def __call__(self, raw: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Calibrated probabilities for raw ranker outputs."""
        result: npt.NDArray[np.float64] = np.interp(raw.astype(np.float64), self.x, self.y)
        return result

    def save(self, path: Path) -> None:
        """Write the breakpoints as JSON."""
        path.write_text(json.dumps({"x": self.x.tolist(), "y": self.y.tolist()}), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Calibration":
        """Read breakpoints written by :meth:`save`."""
        payload = json.loads(path.read_text(encoding="utf-8"))
        return cls(payload["x"], payload["y"])
