"""The Data page's quarantine reasons and error sentences in both languages (data_words)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from pipeline_fixtures import CASES_CSV, CHECKINS_CSV, TODAY, VENUES_CSV, write

from dashboard.data_words import codes_text, error_text, quarantine_table, reason_text
from dashboard.i18n import format_date
from geo.errors import PantauZonaError
from geo.readers import read_input
from geo.upload_checks import check_size
from geo.validate import (
    CASE_COLUMNS,
    CHECKIN_COLUMNS,
    VENUE_COLUMNS,
    read_cases,
    validate_cases,
    validate_checkins,
    validate_venues,
)

# English words that a Bahasa reason or error must not keep (column names are data, not words).
ENGLISH = re.compile(r"\b(is|the|not|missing|duplicate|after|before|outside|file|rows?)\b")


def _dates_written(text: str) -> str:
    iso = r"\d{4}-\d{2}-\d{2}"
    return re.sub(iso, lambda m: format_date(dt.date.fromisoformat(m[0]), "en"), text)


@pytest.fixture(scope="module")
def quarantine(tmp_path_factory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("words")
    cases = validate_cases(
        read_input(write(folder / "c.csv", CASES_CSV), CASE_COLUMNS, label="cases"), today=TODAY
    )
    venues = validate_venues(
        read_input(write(folder / "v.csv", VENUES_CSV), VENUE_COLUMNS, label="venues")
    )
    raw = read_input(write(folder / "k.csv", CHECKINS_CSV), CHECKIN_COLUMNS, label="check-ins")
    checkins = validate_checkins(raw, venues.accepted, today=TODAY)
    return pd.concat([cases.quarantine, venues.quarantine, checkins.quarantine], ignore_index=True)


def test_every_fixture_reason_is_known_and_english_round_trips(quarantine):
    assert quarantine["check"].nunique() >= 8
    for check, reason in zip(quarantine["check"], quarantine["reason"], strict=True):
        # the catalogue's English is geo's sentence, with its dates written out
        assert reason_text(check, reason, "en") == _dates_written(reason)
        bahasa = reason_text(check, reason, "id")
        assert bahasa != reason, reason
        assert not ENGLISH.search(bahasa.replace("check-in", "")), bahasa


def test_reason_particulars_are_written_for_the_language():
    assert (
        reason_text("future", "reported_date is after today (2021-08-01)", "id")
        == "reported_date setelah hari ini (1 Agu 2021)"
    )
    assert reason_text("duplicate", "duplicate case_id (first at row 1234)", "id") == (
        "case_id ganda (pertama di baris 1.234)"
    )
    assert reason_text("some_new_check", "a new sentence", "id") == "a new sentence"


def test_quarantine_table_keeps_the_check_and_translates_headers(quarantine):
    shown = quarantine_table(quarantine, "id")
    assert list(shown.columns[:6]) == ["Berkas", "Baris", "Kolom", "Pemeriksaan", "Nilai", "Alasan"]
    assert shown["Pemeriksaan"].tolist() == quarantine["check"].tolist()


def _error(call) -> str:
    with pytest.raises(PantauZonaError) as info:
        call()
    return str(info.value)


def test_upload_errors_read_in_bahasa(tmp_path):
    big = _error(lambda: check_size("kasus.csv", 300 * 1024 * 1024, 200))
    assert error_text(big, "id") == (
        "kasus.csv berukuran 300 MB, lebih dari 200 MB yang dapat dimuat sekaligus "
        "(server.maxUploadSize); pecah berkas per tanggal."
    )
    empty = _error(lambda: read_input(write(tmp_path / "e.csv", ""), CASE_COLUMNS, label="cases"))
    assert error_text(empty, "id") == "e.csv kosong: berkas perlu baris judul."
    few = write(tmp_path / "f.csv", "case_id\nc1\n")
    missing = _error(lambda: read_input(few, CASE_COLUMNS, label="cases"))
    assert error_text(missing, "id") == (
        "f.csv tidak memuat kolom wajib 'reported_date' untuk data kasus."
    )
    for message in (empty, missing):
        assert error_text(message, "en") == message
    assert error_text(big, "en").startswith("kasus.csv is 300 MB, more than the 200 MB ")
    assert error_text("Something new went wrong.", "id") == "Something new went wrong."


def test_count_reasons_and_column_names_read_in_bahasa(tmp_path):
    counts = write(
        tmp_path / "c.csv",
        "date,province_code,new_cases\n2021-07-01,31,-2\n2021-07-01,32,2.5\n"
        "2021-07-01,33,1\n2021-07-01,33,4\n",
    )
    quarantine = validate_cases(read_cases(counts), today=TODAY).quarantine
    bahasa = [reason_text(c, r, "id") for c, r in quarantine[["check", "reason"]].values]
    assert bahasa == [
        "count negatif",
        "count bukan bilangan bulat (hanya angka)",
        "laporan ganda untuk wilayah 33 pada 1 Jul 2021 (pertama di baris 4)",
    ]
    for check, reason in quarantine[["check", "reason"]].values:
        assert reason_text(check, reason, "en") == _dates_written(reason)
    two = write(tmp_path / "t.csv", "reported_date,region_code,count,new_cases\n")
    message = _error(lambda: read_cases(two))
    assert error_text(message, "id") == (
        "t.csv memuat 'count' dan 'new_cases', dua nama untuk kolom 'count'; sisakan satu "
        "(atau ganti nama yang lain)."
    )
    assert error_text(message, "en") == message


def test_edition_reasons_and_refusals_read_in_bahasa(tmp_path):
    mixed = write(
        tmp_path / "m.csv", "date,region_code,count\n2021-07-01,93,4\n2021-07-01,91.01,4\n"
    )
    span = write(tmp_path / "s.csv", "date,region_code,count\n2022-07-01,91,4\n2022-08-01,91,5\n")
    reasons = [
        *validate_cases(read_cases(mixed), today=TODAY, codes="2025").quarantine.values.tolist(),
        *validate_cases(read_cases(mixed), today=TODAY, codes="2020").quarantine.values.tolist(),
        *validate_cases(
            read_cases(span), today=dt.date(2023, 1, 1), codes=None
        ).quarantine.values.tolist(),
    ]
    for _, _, _, check, _, reason in reasons:
        assert reason_text(check, reason, "en") == _dates_written(reason)
        bahasa = reason_text(check, reason, "id")
        assert bahasa != reason, reason
        assert not ENGLISH.search(bahasa), bahasa
    assert reason_text(reasons[0][3], reasons[0][5], "id") == (
        "kode wilayah 91.01 hanya ada di edisi 2020 (Permendagri 72/2019); untuk berkas "
        "berkode 2020 berikan --codes 2020"
    )
    refused = _error(lambda: validate_cases(read_cases(mixed), today=TODAY, codes=None))
    assert error_text(refused, "en") == refused
    assert error_text(refused, "id").startswith("m.csv mencampur dua edisi kode wilayah: 91.01")
    only_old = write(tmp_path / "o.csv", "date,region_code,count\n2021-07-01,91.01,4\n")
    wrong = _error(lambda: validate_cases(read_cases(only_old), today=TODAY, codes="2025"))
    assert error_text(wrong, "id") == (
        "o.csv dinyatakan berkode 2025 (--codes 2025), tetapi kode wilayahnya hanya bermakna di "
        "edisi 2020 (mis. 91.01); berikan --codes 2020."
    )


def _how(codes: list[str], days: list[str], declared: str | None = None) -> dict:
    from geo.editions import decide

    dates = pd.Series(pd.to_datetime(days), dtype="datetime64[ns]")
    return decide("f.csv", pd.Series(codes, dtype=object), dates, declared).summary()


@pytest.mark.parametrize(
    ("codes", "days", "declared", "english", "bahasa"),
    [
        (
            [],
            [],
            None,
            "Region codes of the 2025 (Kemendagri) edition: the file has no region codes.",
            "Kode wilayah edisi 2025 (Kemendagri): berkas tidak memuat kode wilayah.",
        ),
        (
            ["31"],
            ["2021-07-01"],
            "2025",
            "Region codes of the 2025 (Kemendagri) edition: as chosen.",
            "Kode wilayah edisi 2025 (Kemendagri): sesuai pilihan.",
        ),
        (
            ["93"],
            ["2021-07-01"],
            None,
            "Region codes of the 2025 (Kemendagri) edition: detected, codes such as 93 exist "
            "only in this edition.",
            "Kode wilayah edisi 2025 (Kemendagri): terdeteksi, kode seperti 93 hanya ada di "
            "edisi ini.",
        ),
        (
            ["91", "92"],
            ["2020-12-01", "2020-12-01"],
            None,
            "Region codes of the 2020 (Permendagri 72/2019) edition: detected by dates, rows "
            "coded 91, 92 are all dated before 25 Jul 2022.",
            "Kode wilayah edisi 2020 (Permendagri 72/2019): terdeteksi dari tanggal, baris "
            "berkode 91, 92 semuanya bertanggal sebelum 25 Jul 2022.",
        ),
        (
            ["91"],
            ["2022-08-01"],
            None,
            "Region codes of the 2025 (Kemendagri) edition: detected by dates, rows coded 91 are "
            "all dated from 25 Jul 2022.",
            "Kode wilayah edisi 2025 (Kemendagri): terdeteksi dari tanggal, baris berkode 91 "
            "semuanya bertanggal sejak 25 Jul 2022.",
        ),
        (
            ["91", "91"],
            ["2022-07-01", "2022-08-01"],
            None,
            "Region codes of the 2025 (Kemendagri) edition: undecided, rows coded 91 are dated "
            "before and after 25 Jul 2022, so they are quarantined; the other codes name the "
            "same region in both.",
            "Kode wilayah edisi 2025 (Kemendagri): belum pasti, baris berkode 91 bertanggal "
            "sebelum dan sesudah 25 Jul 2022 sehingga dikarantina; kode lainnya menunjuk wilayah "
            "yang sama di kedua edisi.",
        ),
        (
            ["31"],
            ["2021-07-01"],
            None,
            "Region codes of the 2025 (Kemendagri) edition: every region code of the file names "
            "the same region in both.",
            "Kode wilayah edisi 2025 (Kemendagri): setiap kode wilayah berkas menunjuk wilayah "
            "yang sama di kedua edisi.",
        ),
    ],
)
def test_the_edition_of_a_file_and_how_it_was_known_read_in_both_languages(
    codes, days, declared, english, bahasa
):
    said = _how(codes, days, declared)
    translated = {
        "en": " When added, its rows are kept in 2025 codes: the cases of a region split since "
        "2020 (Papua, Papua Barat) are apportioned to its successors by population.",
        "id": " Saat ditambahkan, barisnya disimpan dalam kode 2025: kasus wilayah yang "
        "dimekarkan sejak 2020 (Papua, Papua Barat) dibagi ke wilayah penerusnya menurut jumlah "
        "penduduk.",
    }
    extra = said["edition"] == "2020"
    assert codes_text(said, "en") == english + (translated["en"] if extra else "")
    assert codes_text(said, "id") == bahasa + (translated["id"] if extra else "")


def test_an_outside_reason_of_a_2020_code_reads_in_bahasa():
    reason = (
        "the case is outside your region 91 (Papua): region code 91 of the 2020 edition is "
        "today's 91, 93, 94, 95"
    )
    assert reason_text("outside_region", reason, "en") == reason
    assert reason_text("outside_region", reason, "id") == (
        "kasus berada di luar wilayah Anda 91 (Papua): kode wilayah 91 edisi 2020 kini adalah "
        "91, 93, 94, 95"
    )
