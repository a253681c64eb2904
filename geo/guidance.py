"""What a zone's colour means and what to do, per colour, from the guidance of the rule in force.

The ``ppkm`` preset follows the PPKM levels (Kemenkes transmission levels on weekly cases per
100,000; Inmendagri measures per level), ``ppkm_mikro`` the PPKM Mikro zones of a neighbourhood
(RT), and the other presets the risk zones of Satgas Penanganan COVID-19. Our three colours merge
two official bands where the rule has four: orange covers PPKM Levels 2-3 (Mikro: yellow and
orange zones), green covers Satgas' yellow and green zones. The sources are printed on the
report's method page (:data:`SOURCES`).
"""

from __future__ import annotations

from typing import NamedTuple


class Guidance(NamedTuple):
    """One colour's meaning (a sentence) and what to do (one or two sentences)."""

    meaning: str
    todo: str


_NO_DATA = {
    "id": Guidance(
        "Tidak ada data untuk menilai wilayah ini.",
        "Ikuti aturan yang berlaku di kabupaten/kota Anda dan tetap jalankan protokol kesehatan.",
    ),
    "en": Guidance(
        "There are no data to assess this area.",
        "Follow the rules in force in your regency or city and keep to the health protocol.",
    ),
}

_PPKM = {
    "id": {
        "red": Guidance(
            "Penularan tinggi: setara PPKM Level 4 (150 kasus atau lebih per 100 ribu penduduk "
            "dalam seminggu).",
            "Di rumah saja bila bisa: kantor non-esensial dan sekolah dari rumah, pusat "
            "perbelanjaan tutup, rumah makan hanya dibawa pulang atau makan di tempat sangat "
            "terbatas, ibadah berjamaah dan kerumunan ditiadakan. Tes dan isolasi bila bergejala.",
        ),
        "orange": Guidance(
            "Penularan sedang: setara PPKM Level 2-3 (20 sampai di bawah 150 kasus per 100 ribu "
            "penduduk dalam seminggu).",
            "Kurangi bepergian dan kerumunan: sebagian besar kantor bekerja dari rumah; mal, rumah "
            "makan dan tempat ibadah buka dengan kapasitas dan jam terbatas (25-50%); sekolah "
            "tatap muka terbatas atau daring. Pakai masker dan jaga jarak.",
        ),
        "green": Guidance(
            "Penularan rendah: setara PPKM Level 1 (di bawah 20 kasus per 100 ribu penduduk "
            "dalam seminggu).",
            "Kegiatan berjalan dengan kapasitas lebih longgar (sekitar 75%) dan protokol "
            "kesehatan: pakai masker, cuci tangan, jaga jarak, hindari kerumunan.",
        ),
        "no_data": _NO_DATA["id"],
    },
    "en": {
        "red": Guidance(
            "High transmission: as PPKM Level 4 (150 or more cases per 100,000 residents in a "
            "week).",
            "Stay at home if you can: non-essential offices and schools work from home, shopping "
            "centres are closed, restaurants serve take-away or very limited dine-in, "
            "congregational worship and gatherings are suspended. Test and isolate if you have "
            "symptoms.",
        ),
        "orange": Guidance(
            "Moderate transmission: as PPKM Levels 2-3 (20 to under 150 cases per 100,000 "
            "residents in a week).",
            "Travel less and avoid crowds: most offices work from home; malls, restaurants and "
            "places of worship open with limited capacity and hours (25-50%); schools teach "
            "online or in limited classes. Wear a mask and keep your distance.",
        ),
        "green": Guidance(
            "Low transmission: as PPKM Level 1 (under 20 cases per 100,000 residents in a week).",
            "Activities run at looser capacity (about 75%) with the health protocol: wear a mask, "
            "wash your hands, keep your distance, avoid crowds.",
        ),
        "no_data": _NO_DATA["en"],
    },
}

_MIKRO = {
    "id": {
        "red": Guidance(
            "Zona merah PPKM Mikro: lebih dari 5 kasus dalam 7 hari.",
            "PPKM tingkat RT: lacak kontak erat dan isolasi dengan pengawasan ketat; tempat "
            "ibadah, tempat bermain anak dan tempat umum lain ditutup kecuali sektor esensial; "
            "kerumunan lebih dari 3 orang dilarang; keluar masuk wilayah dibatasi sampai pukul "
            "20.00.",
        ),
        "orange": Guidance(
            "Zona kuning atau oranye PPKM Mikro: 1 sampai 5 kasus dalam 7 hari.",
            "Temukan kasus suspek, lacak kontak erat, isolasi mandiri dengan pengawasan ketat; "
            "bila 3-5 rumah terdampak, tempat ibadah, tempat bermain anak dan tempat umum lain "
            "dibatasi kecuali sektor esensial.",
        ),
        "green": Guidance(
            "Zona hijau PPKM Mikro: tidak ada kasus dalam 7 hari.",
            "Surveilans aktif dan tes bagi yang bergejala; protokol kesehatan tetap dijalankan.",
        ),
        "no_data": _NO_DATA["id"],
    },
    "en": {
        "red": Guidance(
            "PPKM Mikro red zone: more than 5 cases in 7 days.",
            "Neighbourhood (RT) restrictions: trace close contacts and isolate under strict "
            "supervision; places of worship, playgrounds and other public places close except "
            "essential sectors; gatherings of more than 3 people are banned; movement in and out "
            "is limited after 20:00.",
        ),
        "orange": Guidance(
            "PPKM Mikro yellow or orange zone: 1 to 5 cases in 7 days.",
            "Find suspected cases, trace close contacts, isolate at home under strict supervision; "
            "where 3-5 households are affected, places of worship, playgrounds and other public "
            "places are restricted except essential sectors.",
        ),
        "green": Guidance(
            "PPKM Mikro green zone: no case in 7 days.",
            "Active surveillance and testing of people with symptoms; keep to the health protocol.",
        ),
        "no_data": _NO_DATA["en"],
    },
}

_SATGAS = {
    "id": {
        "red": Guidance(
            "Risiko penularan tinggi (zona merah Satgas COVID-19).",
            "Tetap di rumah bila bisa, kerja dan belajar dari rumah, hindari kerumunan dan "
            "perjalanan; jalankan 5M (memakai masker, mencuci tangan, menjaga jarak, menjauhi "
            "kerumunan, mengurangi mobilitas). Tes dan isolasi bila bergejala.",
        ),
        "orange": Guidance(
            "Risiko penularan sedang (zona oranye Satgas COVID-19).",
            "Batasi kegiatan di luar rumah dan kerumunan; kegiatan umum dengan kapasitas "
            "terbatas; jalankan 5M.",
        ),
        "green": Guidance(
            "Risiko penularan rendah (zona kuning atau hijau Satgas COVID-19).",
            "Kegiatan dapat berjalan dengan protokol kesehatan (5M); tetap waspada dan periksa "
            "bila bergejala.",
        ),
        "no_data": _NO_DATA["id"],
    },
    "en": {
        "red": Guidance(
            "High risk of transmission (Satgas COVID-19 red zone).",
            "Stay at home if you can, work and study from home, avoid crowds and travel; keep to "
            "the 5M (wear a mask, wash your hands, keep your distance, avoid crowds, reduce "
            "travel). Test and isolate if you have symptoms.",
        ),
        "orange": Guidance(
            "Moderate risk of transmission (Satgas COVID-19 orange zone).",
            "Limit activities outside the home and crowds; public activities at limited "
            "capacity; keep to the 5M.",
        ),
        "green": Guidance(
            "Low risk of transmission (Satgas COVID-19 yellow or green zone).",
            "Activities can run with the health protocol (5M); stay alert and get tested if you "
            "have symptoms.",
        ),
        "no_data": _NO_DATA["en"],
    },
}

_FAMILIES = {"ppkm": _PPKM, "ppkm_mikro": _MIKRO}

#: Where each family's guidance comes from, in each language. Checked against published copies
#: and news reports of the documents (Kompas, Antara, Republika, Scribd copies): titles, numbers,
#: dates and the zone criteria below.
SOURCES: dict[str, dict[str, str]] = {
    "ppkm": {
        "id": "Instruksi Menteri Dalam Negeri (Inmendagri) No. 22 Tahun 2021 tentang PPKM Level 4 "
        "COVID-19 di Wilayah Jawa dan Bali (berlaku 21-25 Juli 2021) dan instruksi sesudahnya "
        "untuk PPKM Level 1-4 (mis. No. 26 dan No. 30 Tahun 2021); Keputusan Menteri Kesehatan "
        "No. HK.01.07/MENKES/4805/2021 tentang Indikator Penyesuaian Upaya Kesehatan Masyarakat "
        "dan Pembatasan Sosial dalam Penanggulangan Pandemi COVID-19 (level penularan menurut "
        "kasus konfirmasi per 100 ribu penduduk per minggu: < 20, 20-< 50, 50-150, > 150; level "
        "PPKM juga menimbang rawat inap, kematian dan kapasitas respons, yang tidak dihitung di "
        "sini).",
        "en": "Instruction of the Minister of Home Affairs (Inmendagri) No. 22 of 2021 on PPKM "
        "Level 4 COVID-19 in Java and Bali (in force 21-25 July 2021) and the later instructions "
        "for PPKM Levels 1-4 (e.g. No. 26 and No. 30 of 2021); Decree of the Minister of Health "
        "No. HK.01.07/MENKES/4805/2021 on the indicators for adjusting public health measures and "
        "social restrictions in the COVID-19 pandemic (transmission levels by confirmed cases per "
        "100,000 residents per week: < 20, 20-< 50, 50-150, > 150; the PPKM level also weighs "
        "hospital admissions, deaths and response capacity, not counted here).",
    },
    "ppkm_mikro": {
        "id": "Instruksi Menteri Dalam Negeri (Inmendagri) No. 3 Tahun 2021 (PPKM Mikro, 9-22 "
        "Februari 2021: zona RT kuning 1-5 rumah dengan kasus konfirmasi dalam 7 hari, oranye "
        "6-10, merah lebih dari 10) dan perpanjangannya, yang sejak April 2021 (mis. Inmendagri "
        "No. 23 Tahun 2021) memakai kuning 1-2 rumah, oranye 3-5, merah lebih dari 5. Preset ini "
        "menghitung kasus, bukan rumah.",
        "en": "Instruction of the Minister of Home Affairs (Inmendagri) No. 3 of 2021 (PPKM Mikro, "
        "9-22 February 2021: a neighbourhood (RT) is yellow with 1-5 houses with a confirmed case "
        "in 7 days, orange with 6-10, red with more than 10) and its extensions, which from April "
        "2021 (e.g. Inmendagri No. 23 of 2021) use yellow 1-2 houses, orange 3-5, red more than "
        "5. This preset counts cases, not houses.",
    },
    "satgas": {
        "id": "Satgas Penanganan COVID-19, Peta Zonasi Risiko (covid19.go.id/peta-risiko); "
        "Kementerian Kesehatan, pesan 5M.",
        "en": "COVID-19 Task Force (Satgas Penanganan COVID-19), risk zone map "
        "(covid19.go.id/peta-risiko); Ministry of Health, the 5M message.",
    },
}


def family(preset: str) -> str:
    """The guidance family of a preset: ``ppkm``, ``ppkm_mikro`` or ``satgas``."""
    return preset if preset in _FAMILIES else "satgas"


def guidance(preset: str, state: str, lang: str) -> Guidance:
    """The meaning of ``state`` and what to do, under ``preset``'s rule, in ``lang``."""
    table = _FAMILIES.get(preset, _SATGAS)[lang]
    return table.get(state, table["no_data"])
