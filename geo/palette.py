"""The risk colours, one table for the map and the PDF report."""

from __future__ import annotations

#: Risk levels in legend order, with their fill colours.
RISK_COLOURS: dict[str, str] = {
    "red": "#d7301f",
    "orange": "#fd8d3c",
    "green": "#1a9850",
    "no_data": "#9e9e9e",
}
