"""The risk colours under simulated colour-vision deficiency (``geo.palette``).

colorspacious simulates deuteranopia, protanopia and tritanopia at severity 100 (Machado, Oliveira
and Fernandes 2009) and measures colour differences in CAM02-UCS (ΔE). The table of least
differences below is the one printed in the README's Accessibility section.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from dashboard.mapview import HOTSPOT_COLOURS
from geo.palette import MIN_DELTA_E, RISK_COLOURS

#: Vision -> (least ΔE between two risk states, the closest pair), rounded to 0.1.
LEAST_DELTA_E = {
    "normal": (29.7, ("orange", "no_data")),
    "deuteranomaly": (28.0, ("green", "no_data")),
    "protanomaly": (22.8, ("green", "no_data")),
    "tritanomaly": (25.3, ("orange", "no_data")),
}


def _seen(colour: str, vision: str) -> np.ndarray:
    """The sRGB (0-1) a person with ``vision`` sees for the hex ``colour``."""
    rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    if vision == "normal":
        return rgb
    cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)


def _least_difference(colours: dict[str, str], vision: str) -> tuple[float, tuple[str, str]]:
    seen = {state: _seen(colour, vision) for state, colour in colours.items()}
    pairs = itertools.combinations(colours, 2)
    return min((float(deltaE(seen[a], seen[b], input_space="sRGB1")), (a, b)) for a, b in pairs)


@pytest.mark.parametrize("vision", list(LEAST_DELTA_E))
def test_the_four_states_stay_apart(vision: str) -> None:
    least, pair = _least_difference(RISK_COLOURS, vision)
    assert (round(least, 1), pair) == LEAST_DELTA_E[vision]
    assert least >= MIN_DELTA_E


@pytest.mark.parametrize("vision", list(LEAST_DELTA_E))
def test_the_hotspot_layer_stays_apart(vision: str) -> None:
    least, _ = _least_difference(HOTSPOT_COLOURS, vision)
    assert least >= MIN_DELTA_E


def test_the_old_red_green_pair_fails_the_check() -> None:
    """The colours before this check: red and green nearly merge under protanopia."""
    old = {"red": "#d7301f", "orange": "#fd8d3c", "green": "#1a9850", "no_data": "#9e9e9e"}
    least, pair = _least_difference(old, "protanomaly")
    assert (round(least, 1), pair) == (9.5, ("orange", "green"))
    assert least < MIN_DELTA_E


def test_simulation_changes_red_and_green_but_not_grey() -> None:
    assert np.allclose(_seen("#9e9e9e", "deuteranomaly"), _seen("#9e9e9e", "normal"), atol=0.01)
    assert not np.allclose(_seen("#d7301f", "deuteranomaly"), _seen("#d7301f", "normal"), atol=0.05)
