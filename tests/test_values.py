"""Values as text and the first row of each repeated value."""

from __future__ import annotations

import pandas as pd

from geo.values import first_positions, text


def test_text_trims_and_reads_missing_as_empty():
    frame = pd.DataFrame({"a": [" 007 ", None, "x"]})
    assert text(frame, "a").tolist() == ["007", "", "x"]
    assert text(frame, "absent").tolist() == ["", "", ""]


def test_first_positions_point_to_the_first_row_of_each_value():
    ids = pd.Series(["b", "a", "b", "c", "a"], dtype="str")
    assert first_positions(ids).tolist() == [0, 1, 0, 3, 1]
    assert first_positions(pd.Series([], dtype="str")).tolist() == []
