"""Text that no spreadsheet will run: one neutraliser for every CSV and XLSX the project writes.

A spreadsheet runs a cell as a formula when its text starts with ``= + - @`` (and ``|`` for the
old DDE links), also after leading spaces, tabs or line breaks; and a reader that ends a row at a
bare carriage return or line feed (some importers do, whatever the quoting) starts a new cell
there. :func:`neutralise` makes a value safe for all of them:

1. every control character (CR, LF, tab, the other C0/C1 controls) and the Unicode line and
   paragraph separators is written as a visible escape (``\\r``, ``\\n``, ``\\t``, ``\\x0b``, …),
   so the text is one line and one cell for any reader;
2. an apostrophe goes before a formula trigger at the start of the text (after any blanks) and
   after every ``,`` or ``;`` inside it (where a reader that ignores quotes starts a cell, and
   where Excel in an Indonesian locale, which separates with ``;``, would);
3. numbers and other non-text values are unchanged, and a value that is safe is unchanged.

It is idempotent, so text read back from a neutralised file may be neutralised again.
:func:`to_csv` writes a frame through it with every field quoted; :func:`safe_frame` prepares a
frame for the xlsx writer. Used by :mod:`geo.build` (``quarantine.csv``), :mod:`geo.uploads`
(the store's quarantines and their downloads) and :mod:`geo.exports` (reports).
"""

from __future__ import annotations

import csv
import re

import pandas as pd

#: Characters that make a spreadsheet cell a formula (or a DDE link) when the text starts with one.
TRIGGERS = ("=", "+", "-", "@", "|")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}
_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
_ESCAPES = str.maketrans(
    {
        code: _NAMED.get(chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        for code in _CONTROLS
    }
)
_LIVE = re.compile(r"(^|[,;])(\s*)(?=[=+\-@|])")


def neutralise(value: object) -> object:
    """``value`` with control characters escaped and formula triggers behind an apostrophe.

    Parameters
    ----------
    value
        Any cell value; only text is changed.

    Returns
    -------
    object
        The safe text, or ``value`` itself when it is not text.
    """
    if not isinstance(value, str):
        return value
    return _LIVE.sub(r"\1\2'", value.translate(_ESCAPES))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text value and column name neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out.rename(columns=lambda name: neutralise(str(name)))


def to_csv(frame: pd.DataFrame, *, encoding: str = "utf-8") -> bytes:
    """``frame`` as CSV bytes, every value neutralised and every field quoted (no index).

    Parameters
    ----------
    frame
        The table to write.
    encoding
        ``utf-8``, or ``utf-8-sig`` for a byte-order mark (Excel then reads UTF-8).
    """
    text = safe_frame(frame).to_csv(index=False, quoting=csv.QUOTE_ALL, lineterminator="\n")
    return text.encode(encoding)
