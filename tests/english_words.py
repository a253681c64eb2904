"""English UI words that must not appear in anything shown in Bahasa Indonesia.

Used by the Bahasa tests of the pages (test_dashboard_app), the exports (test_export_words) and
the data page's sentences. Proper nouns, data values and machine names are not words here:
callers remove them first. "check-in" is used in Bahasa as it is.
"""

from __future__ import annotations

import re

WORDS = [
    "after",
    "before",
    "cases",
    "case",
    "change",
    "changed",
    "colour",
    "color",
    "column",
    "columns",
    "date",
    "day",
    "days",
    "daily",
    "download",
    "export",
    "file",
    "files",
    "header",
    "meaning",
    "method",
    "month",
    "population",
    "rate",
    "reason",
    "region",
    "regions",
    "report",
    "residents",
    "resolution",
    "risk",
    "row",
    "rows",
    "search",
    "share",
    "source",
    "sources",
    "trend",
    "trends",
    "week",
    "zone",
    "zones",
    "the",
    "and",
    "of",
    "with",
    "for",
    "from",
    "is",
    "are",
    "not",
    "no",
    "yes",
    "between",
]
_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(WORDS) + r")(?![\w-])", re.IGNORECASE)


def english_words(text: str) -> list[str]:
    """The English UI words found in ``text`` (``check-in`` and code spans aside)."""
    text = re.sub(r"check-ins?", " ", text, flags=re.IGNORECASE)
    return sorted({m.lower() for m in _PATTERN.findall(text)})
