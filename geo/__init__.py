"""PantauZona: zone risk from case reports and venue check-ins, on H3 cells and Indonesian regions."""

from __future__ import annotations

__version__ = "0.1.0"
