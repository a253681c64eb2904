"""Numbers, percentages and dates per language (geo.formats)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from geo.formats import (
    coordinate,
    d3_locales,
    date,
    figure,
    figure_rounded,
    number,
    percent,
    published,
    trimmed,
)


def test_number_uses_the_language_separators():
    assert number(243118, "id") == "243.118"
    assert number(243118, "en") == "243,118"
    assert number(85.34, "id", 1) == "85,3"
    assert number(1234.5, "en", decimals=1) == "1,234.5"
    assert number(math.nan, "id") == "—"
    assert number(None, "en") == "—"


def test_no_figure_reads_minus_zero():
    # -0.0 first: it and 0.0 are one key of the formatting cache.
    assert [number(v, "en") for v in (-0.0, 0.0, -0.004, -0.6)] == ["0", "0", "0", "-1"]
    assert [figure(v, "id") for v in (-0.001, -0.0, 0.0)] == ["0", "0", "0"]
    assert number(-0.04, "id", 1) == "0,0"
    assert percent(-0.0001, "en") == "0%"
    assert percent(-0.004, "id", 1) == "-0,4%"


def test_figure_reads_as_people_read_it():
    assert [figure(v, "id") for v in (212.4, 97.84, 1.5, 0.043, 3.0)] == [
        "212",
        "97,8",
        "1,5",
        "0,04",
        "3",
    ]
    assert figure(40000, "en") == "40,000"


def test_trimmed_drops_trailing_zeros():
    assert trimmed(150.0, "id") == "150"
    assert trimmed(0.5, "id") == "0,5"
    assert trimmed(1234.25, "en") == "1,234.25"


def test_percent_and_date():
    assert percent(0.853, "id", 1) == "85,3%"
    assert percent(0.183, "en") == "18%"
    assert percent(math.nan, "id") == "—"
    assert date(dt.date(2021, 7, 11), "id") == "11 Juli 2021"
    assert date(dt.date(2021, 7, 11), "en") == "11 July 2021"
    assert date(dt.date(2021, 7, 11), "id", "medium") == "11 Jul 2021"


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown language 'fr'"):
        number(1, "fr")


def test_d3_locales_follow_babel():
    numbers, time = d3_locales("id")
    assert (numbers["decimal"], numbers["thousands"]) == (",", ".")
    assert time["months"][6] == "Juli"
    assert time["days"][0] == "Minggu"  # d3 weeks start on Sunday


def test_figure_rounded_is_the_rounding_figure_shows():
    values = np.array([212.44, 97.84, 1.549, 0.0434, -3.06])
    assert figure_rounded(values).tolist() == [212.4, 97.8, 1.5, 0.04, -3.1]
    assert [figure(v, "id") for v in figure_rounded(values)] == [figure(v, "id") for v in values]


def test_a_coordinate_has_five_places_and_a_point_in_both_languages():
    assert coordinate(-6.175392) == "-6.17539"
    assert coordinate(106.8) == "106.80000"


def test_a_published_count_reads_below_k_when_hidden():
    assert published(math.nan, 10, "id") == "< 10"
    assert published(None, 1000, "id") == "< 1.000"
    assert published(1234.0, 10, "id") == "1.234"
    assert published(1234.0, 10, "en") == "1,234"
