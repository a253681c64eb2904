"""The risk colours, one table for the map and the PDF report.

The four states stay apart for people with colour-vision deficiency: simulated under full
deuteranopia, protanopia and tritanopia (colorspacious, Machado et al. 2009), every pair of
states is at least ``MIN_DELTA_E`` apart in CAM02-UCS (``tests/test_accessibility.py``; the table
is in the README). Red keeps its hue; orange is an amber and green a blue-green, so that neither
falls onto red or grey when the red-green axis is lost.
"""

from __future__ import annotations

#: Risk levels in legend order, with their fill colours.
RISK_COLOURS: dict[str, str] = {
    "red": "#d7301f",
    "orange": "#fdb863",
    "green": "#006c6c",
    "no_data": "#9e9e9e",
}
#: The least CAM02-UCS colour difference between any two states, with or without a simulated
#: colour-vision deficiency: 20 is about where map colours read as plainly different at a glance
#: (1 is a just-noticeable difference; colours of a categorical map legend are usually 20 or more
#: apart).
MIN_DELTA_E = 20.0
