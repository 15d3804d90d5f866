"""Calibration breakpoints: monotone, interpolated, clipped."""

import numpy as np
import pytest

from service.model.calibration import Calibration


def test_interpolates_between_breakpoints_and_clips_outside() -> None:
    calibration = Calibration([0.2, 0.6], [0.1, 0.5])
    got = calibration(np.array([0.0, 0.2, 0.4, 0.6, 1.0], dtype=np.float32))
    assert np.allclose(got, [0.1, 0.1, 0.3, 0.5, 0.5])


def test_refuses_decreasing_breakpoints() -> None:
    with pytest.raises(ValueError, match="non-decreasing"):
        Calibration([0.0, 1.0], [0.9, 0.1])
