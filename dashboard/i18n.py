"""Every string the dashboard shows, in Bahasa Indonesia (the default) and English.

Pages call ``t(key, lang, **fmt)``; ``tests/test_dashboard_app.py`` checks that both languages
have the same keys and the same ``{placeholders}``. Text that comes from data or from the URL
goes through ``escape_markdown`` before it reaches a Markdown element. Numbers, percentages and
dates in the strings are written by :mod:`geo.formats` (Babel) for the same language; the Bahasa
strings use Indonesian quotes “…”.
"""

from __future__ import annotations

import re
from datetime import date

from geo import formats

DEFAULT_LANG = "id"
LANGS: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "app.tagline": "Risiko zona COVID-19 per heksagon H3, tanpa internet.",
        "lang.label": "Bahasa / Language",
        "page.map": "Peta Risiko",
        "page.trends": "Tren",
        "page.method": "Metodologi",
        "filter.heading": "Filter",
        "filter.date": "Tanggal",
        "filter.no_dates": "Belum ada data untuk ditampilkan.",
        "filter.partial": "sebagian",
        "filter.partial_note": "Tanggal bertanda · sebagian: datanya belum lengkap.",
        "day.incomplete": (
            "Data {day} belum lengkap: baru {share} penduduk dari wilayah yang biasa melapor yang "
            "sudah melapor. Angkanya bisa masih bertambah; tanggal terakhir yang lengkap: {complete}."
        ),
        "day.incomplete_none": (
            "Data {day} belum lengkap: baru {share} penduduk dari wilayah yang biasa melapor yang "
            "sudah melapor. Belum ada tanggal yang datanya lengkap."
        ),
        "level.province": "Provinsi",
        "level.regency": "Kabupaten/Kota",
        "level.district": "Kecamatan",
        "level.village": "Kelurahan/Desa",
        "region.all": "— Semua —",
        "region.country": "Indonesia",
        "breadcrumb.label": "Wilayah",
        "notice.lang": "Bahasa {value} tidak dikenal; ditampilkan dalam Bahasa Indonesia.",
        "notice.page": "Halaman {value} tidak ada; menampilkan Peta Risiko.",
        "notice.date": (
            "Tidak ada data untuk tanggal {value}; menampilkan tanggal terbaru yang datanya "
            "lengkap, {latest}."
        ),
        "notice.region": "Wilayah {value} tidak dikenal; menampilkan seluruh Indonesia.",
        "notice.zone": "Zona {value} tidak ada dalam data; peta dibuka tanpa zona itu.",
        "risk.legend_title": "Tingkat risiko",
        "risk.red": "Merah (tinggi)",
        "risk.orange": "Oranye (sedang)",
        "risk.green": "Hijau (rendah)",
        "risk.no_data": "Abu-abu (tidak ada data)",
        "map.caption": (
            "Arahkan kursor ke zona untuk melihat alasan warnanya. "
            "Data per {day}; wilayah: {region}."
        ),
        "map.empty": "Tidak ada zona untuk wilayah dan tanggal ini.",
        "map.zone": (
            "Zona {zone} (resolusi H3 {resolution}) disorot dengan garis biru; titik menandai "
            "pusatnya."
        ),
        "map.zones": "Daftar zona",
        "column.zone": "Zona",
        "column.risk": "Risiko",
        "column.reason": "Alasan",
        "trends.caption": "Kasus baru per hari di {region}, hingga {day}.",
        "trends.cases": "Kasus baru",
        "trends.date": "Tanggal",
        "trends.empty": "Belum ada data tren untuk wilayah ini.",
        "trends.hidden": "Hari yang angka terbitannya di bawah {k} tidak digambar, demi privasi.",
        "method.body": (
            "Setiap laporan kasus dan setiap check-in tempat dipetakan ke heksagon H3. "
            "Per hari, jumlahnya dihitung per heksagon lalu digabungkan ke kelurahan, "
            "kecamatan, kabupaten/kota dan provinsi. Kasus yang hanya diketahui wilayahnya "
            "(misalnya angka harian sebuah provinsi) dibagi ke heksagon dan wilayah di bawahnya "
            "menurut jumlah penduduk: sebuah kabupaten/kota menampilkan bagiannya dari laporan "
            "provinsi, dengan laju dan warna provinsi itu, seperti heksagonnya.\n\n"
            "Warna sebuah zona berasal dari ambang batas dalam berkas konfigurasi risiko; "
            "setiap zona menyimpan alasan warnanya. Zona tanpa cukup data diberi warna "
            "abu-abu (*tidak ada data*), tidak pernah hijau."
        ),
        "method.levels": "Tingkat risiko",
        "build.missing": "Belum ada build PantauZona untuk ditampilkan. {problem}",
        "build.command": "Buat build contoh dengan perintah berikut, lalu muat ulang halaman ini:",
        "audience.official": (
            "Di wilayah Anda: angka lengkap, termasuk check-in. Di luar wilayah itu: tampilan publik."
        ),
        "search.label": "Cari wilayah saya",
        "search.placeholder": "Nama, kode wilayah, atau koordinat (-6.2, 106.8)",
        "search.none": "Tidak ada wilayah yang cocok dengan {query}.",
        "search.outside": "Titik {lat}, {lon} tidak berada di wilayah mana pun.",
        "search.found_point": "Titik {lat}, {lon} berada di {region}.",
        "search.results": "Hasil pencarian",
        "locate.button": "Pakai lokasi saya",
        "locate.denied": "Izin lokasi ditolak oleh browser. Izinkan akses lokasi untuk situs ini, "
        "atau cari wilayah Anda dengan nama, kode, atau koordinat.",
        "locate.unavailable": "Browser tidak dapat menentukan lokasi Anda. Cari wilayah Anda dengan "
        "nama, kode, atau koordinat.",
        "locate.timeout": "Lokasi Anda tidak ditemukan tepat waktu. Coba lagi, atau cari wilayah "
        "Anda dengan nama, kode, atau koordinat.",
        "locate.unsupported": "Browser ini tidak dapat memberikan lokasi. Cari wilayah Anda dengan "
        "nama, kode, atau koordinat.",
        "card.label": "Kartu zona",
        "card.colour": "Zona {colour}",
        "card.trend": "Dibanding minggu lalu",
        "card.meaning": "Artinya",
        "card.todo": "Yang perlu dilakukan",
        "map.absent": (
            "Heksagon yang tidak digambar tidak memiliki kasus dalam 14 hari (untuk publik; "
            "untuk petugas: tidak ada kegiatan sama sekali). Klik sebuah wilayah untuk membukanya."
        ),
        "map.choropleth": "Seluruh Indonesia per kabupaten/kota. Klik sebuah wilayah untuk membukanya.",
        "map.resolution": "Heksagon H3 resolusi {resolution}.",
        "summary.heading": "Ringkasan",
        "summary.cases_7d": "Kasus 7 hari",
        "summary.rate": "Kasus per 100 ribu (7 hari)",
        "summary.shares": "Penduduk menurut warna zona",
        "summary.data_until": "Data hingga {day}; ditampilkan: {shown}.",
        "summary.suppressed": (
            "Angka publik diberi derau acak kecil; di bawah {k} ditampilkan sebagai “< {k}”, "
            "untuk melindungi privasi."
        ),
        "trends.average": "Rata-rata 7 hari",
        "trends.categories": "Check-in per jenis tempat, 7 hari hingga {day} (petugas)",
        "column.category": "Jenis tempat",
        "column.checkins_7d": "Check-in 7 hari",
        "column.exposed_7d": "Terpapar 7 hari",
        "column.exposed_pct": "% terpapar",
        "trends.checkins": "Check-in per hari",
        "trends.shares": "Bagian penduduk menurut warna zona",
        "trends.share": "Bagian penduduk",
        "trends.incomplete": "Data belum lengkap",
        "trends.compare": "Perbandingan wilayah di bawah {region}",
        "trends.series": "Seri",
        "column.region": "Wilayah",
        "column.cases_7d": "Kasus 7 hari",
        "column.rate": "Per 100 ribu",
        "column.trend": "Per 100 ribu, 28 hari",
        "column.trend_help": (
            "Kasus per 100 ribu dalam 7 hari, 28 hari terakhir; celah: hari yang angka "
            "terbitannya di bawah ambang privasi."
        ),
        "method.criteria": "Kriteria",
        "method.criterion": "Kriteria {n}: {metric}",
        "method.metric": "Metrik",
        "method.orange": "Oranye mulai",
        "method.red": "Merah mulai",
        "method.inclusive": "Nilai tepat di ambang batas",
        "method.inclusive_yes": "mencapai ambang (≥)",
        "method.inclusive_no": "harus melebihi (>)",
        "method.red_min": "Merah perlu paling sedikit (kasus 7 hari)",
        "method.min_checkins": "Berlaku bila check-in 7 hari paling sedikit",
        "method.min_baseline": "Berlaku bila check-in biasa per pekan paling sedikit",
        "method.worst": "Sebuah zona mengambil warna terburuk dari semua kriteria.",
        "method.no_data": "Arti “tidak ada data”",
        "method.no_data_body": (
            "Zona berpenduduk {max_population} orang atau kurang, atau tanpa kriteria yang dapat "
            "diterapkan, diberi warna abu-abu. Heksagon tanpa kegiatan pada suatu tanggal: "
            "“{populated}” bila berpenduduk, “{unpopulated}” bila tidak. Wilayah tanpa laporan "
            "sama sekali selama periode build juga tanpa data."
        ),
        "method.privacy": "Privasi",
        "method.privacy_body": (
            "Metode: **perturbasi kunci-sel** (*cell-key perturbation*, seperti ABS TableBuilder "
            "dan ONS) dengan **derau geometrik dua sisi** (mekanisme geometrik, Ghosh dkk. 2009). "
            "Setiap jumlah yang dibaca publik (kasus sehari, 7 atau 14 hari) "
            "ditambah derau bilangan bulat dengan peluang sebanding exp(-ε·|e|), ε = {epsilon}: "
            "simpangan baku {sd}, derau 0 pada {zero} dari jumlah. Derau ditarik dari hash "
            "berkunci rahasia atas zona dan jumlahnya, jadi jumlah yang sama di zona yang sama "
            "selalu terbaca sama di setiap hari, jendela dan halaman (pertanyaan berulang tidak "
            "merata-ratakannya). Setelah derau, angka di bawah "
            "{k} ditampilkan “< {k}” — nol juga. Laju, rasio pertumbuhan dan alasan dihitung "
            "hanya dari angka terbitan; alasan publik tidak menyebut kriteria atau ambangnya. "
            "Warna tetap tepat (warna bukan jumlah). Peta publik hanya menggambar heksagon "
            "dengan kasus dalam 14 hari, sehingga kegiatan tempat tidak terlihat. Karena derau "
            "dapat bernilai berapa pun, tidak ada penjumlahan atau pengurangan angka publik "
            "(wilayah induk dikurangi anak, resolusi H3, jendela 7 dan 14 hari, rasio) yang "
            "dapat memastikan suatu jumlah kecil. Angka check-in, paparan dan kepadatan hanya "
            "untuk petugas, yang melihat angka tepat di wilayahnya."
        ),
        "method.population": "Sumber penduduk",
        "method.sources": "Sumber data dan lisensi",
        "method.sources_more": "Rincian lengkap: {path}.",
        "method.build": "Build: preset {preset}, data {start} hingga {end}, resolusi H3 {resolutions}.",
        "method.value": "Nilai",
        "method.setting": "Pengaturan",
        "column.file": "Berkas",
        "column.what": "Isi",
        "column.licence": "Lisensi",
        "column.source": "Sumber penduduk",
        "column.regions": "Jumlah wilayah",
        # Population sources (geo.population.SOURCE_KEYS), on the method page
        "method.population_body": (
            "Penduduk tiap zona berasal dari tabel resmi terhalus: kelurahan DKI Jakarta (Dukcapil "
            "Desember 2019) apa adanya; desa/kelurahan Jawa Barat (Dukcapil Semester I 2024) dan "
            "kecamatan di provinsi lain (Dukcapil 2023) sebagai bagian dari total kabupaten/kota "
            "(Dukcapil 2025). Tempat tanpa angka mendapat sisa total kabupaten/kotanya, dibagi "
            "menurut luas. Di dalam tiap wilayah, penduduk dibagi rata per sel H3."
        ),
        "population_source.village_2019_dki": "Kelurahan DKI Jakarta (Dukcapil Desember 2019)",
        "population_source.village_2024_jabar": (
            "Desa/kelurahan Jawa Barat (Dukcapil Semester I 2024), bagian dari kabupaten/kota"
        ),
        "population_source.district_2023": "Kecamatan (Dukcapil 2023), bagian dari kabupaten/kota",
        "population_source.regency_remainder": (
            "Sisa kabupaten/kota (Dukcapil 2025), dibagi menurut luas"
        ),
        "population_source.regency_area": "Kabupaten/kota (Dukcapil 2025), dibagi menurut luas",
        "population_source.regency_2025": "Kabupaten/kota (Dukcapil 2025)",
        "population_source.sum_of_regencies": "Jumlah kabupaten/kota (Dukcapil 2025)",
        "population_source.sum_of_villages_dki": "Jumlah kelurahan (Dukcapil 2019)",
        "population_source.sum_of_villages": "Jumlah desa/kelurahan",
        "population_source.no_boundary": (
            "Tidak ada: tanpa batas wilayah, penduduknya terhitung di wilayah lain kabupaten/kotanya"
        ),
        # Officials' sign-in (dashboard/signin.py)
        "signin.title": "Masuk petugas",
        "signin.name": "Nama akun",
        "signin.password": "Kata sandi",
        "signin.submit": "Masuk",
        "signin.help": "Untuk petugas yang mendapat akun dari administrator.",
        "signin.wrong": "Nama atau kata sandi salah.",
        "signin.throttled": "Terlalu banyak percobaan gagal; coba lagi dalam {seconds} detik.",
        "signin.badge": "Masuk sebagai **{name}**  \nWilayah: {region}",
        "signin.sign_out": "Keluar",
        "signin.refused.expired": "Sesi Anda telah berakhir; silakan masuk lagi.",
        "signin.refused.tampered": "Sesi Anda tidak sah lagi; silakan masuk lagi.",
        "signin.refused.malformed": "Sesi Anda tidak sah lagi; silakan masuk lagi.",
        "signin.refused.account_removed": "Akun Anda telah dihapus; hubungi administrator.",
        "signin.refused.password_changed": (
            "Kata sandi akun Anda telah diubah; silakan masuk lagi dengan kata sandi baru."
        ),
        "signin.refused.unavailable": (
            "Masuk petugas tidak tersedia: berkas akun tidak dapat dibaca; hubungi administrator."
        ),
        # --- Data page (officials: loading new data) ---
        "page.data": "Data",
        "data.officials_only": "Halaman ini hanya untuk petugas.",
        "data.intro": (
            "Muat berkas kasus, check-in atau tempat untuk {region} (CSV atau Parquet, paling "
            "besar {max_mb} MB). Periksa laporan validasinya, lalu tambahkan berkas itu dan bangun "
            "ulang build. Muat tempat sebelum check-in di tempat itu."
        ),
        "data.country": "seluruh Indonesia",
        "data.kind.cases": "Kasus",
        "data.kind.checkins": "Check-in",
        "data.kind.venues": "Tempat",
        "data.upload": "Berkas {kind} (CSV atau Parquet)",
        "data.cumulative": "Berkas ini berisi total kumulatif per wilayah dan tanggal",
        "data.cumulative_help": (
            "Kolom count, total_cases atau cumulative_cases berisi total kasus hingga tanggal "
            "itu; PantauZona menghitung kasus baru per hari (lihat README, Cumulative series)."
        ),
        "data.codes": "Edisi kode wilayah (--codes)",
        "data.codes.detect": "Deteksi dari berkas",
        "data.codes.2020": "2020 (Permendagri 72/2019)",
        "data.codes.2025": "2025 (Kemendagri)",
        "data.codes_help": (
            "Seri COVID-19 yang dipublikasikan memakai kode 2020; peta memakai kode 2025. "
            "Papua (91) dan Papua Barat (92) dimekarkan pada 2022, dan beberapa kecamatan diberi "
            "nomor baru (lihat README, Code editions)."
        ),
        "data.codes_read": "Kode wilayah edisi {edition}: {how}.",
        "data.codes_translated": (
            "Saat ditambahkan, barisnya disimpan dalam kode 2025: kasus wilayah yang dimekarkan "
            "sejak 2020 (Papua, Papua Barat) dibagi ke wilayah penerusnya menurut jumlah penduduk."
        ),
        "data.how.none": "berkas tidak memuat kode wilayah",
        "data.how.declared": "sesuai pilihan",
        "data.how.only": "terdeteksi, kode seperti {codes} hanya ada di edisi ini",
        "data.how.before": "terdeteksi dari tanggal, baris berkode {codes} semuanya bertanggal sebelum {day}",
        "data.how.from": "terdeteksi dari tanggal, baris berkode {codes} semuanya bertanggal sejak {day}",
        "data.how.undecided": (
            "belum pasti, baris berkode {codes} bertanggal sebelum dan sesudah {day} sehingga "
            "dikarantina; kode lainnya menunjuk wilayah yang sama di kedua edisi"
        ),
        "data.how.same": "setiap kode wilayah berkas menunjuk wilayah yang sama di kedua edisi",
        "data.refused": "Berkas ditolak: {error}",
        "data.read": "Dibaca",
        "data.accepted": "Diterima",
        "data.quarantined": "Dikarantina",
        "data.already": "Berkas ini sudah dimuat sebagai {name}; memuatnya lagi tidak mengubah apa pun.",
        "data.nothing": "Tidak ada baris yang diterima; perbaiki berkas menurut alasan di bawah.",
        "data.quarantine": "Baris yang dikarantina",
        "data.download": "Unduh karantina (CSV)",
        "data.add": "Tambahkan dan bangun ulang",
        "data.rebuilding": "Membangun ulang…",
        "data.step": "Langkah {n} dari {total}: {step}",
        "data.step.1": "membaca input",
        "data.step.2": "memvalidasi baris",
        "data.step.3": "check-in dan paparan",
        "data.step.4": "grid penduduk",
        "data.step.5": "mengindeks sel",
        "data.step.6": "metrik sel",
        "data.step.7": "metrik wilayah",
        "data.step.8": "menulis",
        "data.done": "Build selesai.",
        "data.failed": "Build gagal; build sebelumnya tetap ditampilkan.",
        "data.error": "Build gagal: {error} Build sebelumnya tetap ditampilkan.",
        "data.rebuilt": "Build diperbarui: data {start} hingga {end}.",
        "data.store": "Berkas yang sudah dimuat",
        "data.none_of_yours": "Belum ada berkas yang dimuat untuk wilayah Anda.",
        "data.store_empty": (
            "Penyimpanan input {path} masih kosong: build baru hanya akan memuat berkas yang "
            "ditambahkan di sini. Isi dulu dengan berkas build saat ini, misalnya:"
        ),
        "data.rebuild": "Bangun ulang dari semua berkas",
        "data.col.kind": "Jenis",
        "data.col.name": "Berkas",
        "data.col.region": "Wilayah",
        "data.col.codes": "Edisi kode",
        # Officials' views: what changed, and the map under another preset.
        "page.changes": "Perubahan",
        "changes.officials_only": "Halaman ini hanya untuk petugas.",
        "changes.caption": "Zona {region} yang berubah warna antara {before} dan {day}.",
        "changes.zones_hexagons": "Zona: heksagon H3 resolusi {resolution}, seperti di peta.",
        "changes.zones_regencies": "Zona: kabupaten/kota, seperti di peta.",
        "changes.before_build": (
            "Data build dimulai {first}: sebelumnya belum ada yang tercatat, jadi 7 hari "
            "sebelumnya setiap zona berwarna seperti zona tanpa kasus."
        ),
        "changes.worse": "Menjadi merah atau oranye ({n})",
        "changes.better": "Membaik ({n})",
        "changes.none_worse": "Tidak ada zona yang menjadi merah atau oranye.",
        "changes.none_better": "Tidak ada zona yang membaik.",
        "changes.other": "{n} zona lain berubah dari atau menjadi “tidak ada data”.",
        "changes.open": "Buka di peta",
        "changes.where": "di {region}",
        "changes.figures": "{cases} kasus dalam 7 hari · {rate} per 100 ribu",
        "changes.more": "Menampilkan {shown} teratas dari {n}; semuanya ada di tabel di bawah.",
        "changes.all": "Semua zona yang berubah ({n})",
        "column.before": "7 hari sebelumnya",
        "column.after": "Sekarang",
        "column.change": "Perubahan",
        "change.worse": "memburuk",
        "change.better": "membaik",
        "change.other": "lainnya",
        "compare.label": "Bandingkan dengan aturan",
        "compare.none": "— Tidak dibandingkan —",
        "compare.help": "Warnai zona yang sama dengan aturan lain, tanpa membangun ulang (petugas).",
        "compare.active": "Aturan aktif: {preset}",
        "compare.other": "Aturan pembanding: {preset}",
        "compare.differ": "{n} dari {total} zona berwarna lain menurut aturan {preset}.",
        "compare.same": "Semua {total} zona berwarna sama menurut kedua aturan.",
        "compare.risk": "Warna ({preset})",
        "compare.reason": "Alasan ({preset})",
        "compare.summary": "Ringkasan wilayah (aturan aktif)",
        # --- Laporan (zone reports) ---
        "page.reports": "Laporan",
        "reports.intro": (
            "Unduh zona {region} untuk satu periode: sebagai tabel (CSV, Excel), data GIS "
            "(GeoJSON, GeoPackage) atau laporan PDF siap cetak."
        ),
        "reports.pick_region": (
            "Pilih provinsi atau wilayah yang lebih kecil di bilah samping. Laporan zona dibuat "
            "per wilayah; laporan untuk seluruh Indonesia belum tersedia."
        ),
        "reports.audience_public": (
            "**Ekspor publik**: angka terbitan (dengan derau kecil, di bawah {k} ditulis "
            "“< {k}”), hanya zona dengan kasus dalam 14 hari, dan tidak ada angka check-in, "
            "paparan atau kepadatan."
        ),
        "reports.audience_official": (
            "**Ekspor pejabat** untuk {region}: angka lengkap, termasuk check-in dan paparan. "
            "Jangan dibagikan kepada publik."
        ),
        "reports.outside_scope": "{region} di luar wilayah tugas Anda ({scope}), jadi ekspornya publik.",
        "reports.from": "Dari tanggal",
        "reports.to": "Sampai tanggal",
        "reports.resolution": "Resolusi H3",
        "reports.resolution_help": (
            "Angka lebih besar berarti heksagon lebih kecil. Peta memakai resolusi {resolution} "
            "untuk wilayah ini."
        ),
        "reports.format": "Format",
        "reports.language": "Bahasa laporan",
        "reports.about_csv": "CSV: zona setiap hari dalam periode, satu baris per zona per hari.",
        "reports.about_xlsx": (
            "Excel: satu lembar per tabel (zona, seri harian wilayah, wilayah di bawahnya, "
            "perubahan warna), ditambah arti kolom dan metode."
        ),
        "reports.about_geojson": (
            "GeoJSON: zona pada hari terakhir periode, dengan geometri, warna, alasan dan angka."
        ),
        "reports.about_gpkg": "GeoPackage: zona yang sama seperti GeoJSON, untuk QGIS atau ArcGIS.",
        "reports.about_pdf": (
            "PDF: laporan siap cetak dengan peta zona, grafik tren, wilayah di bawahnya, "
            "perubahan warna, metode dan sumber."
        ),
        "reports.no_dates": "Pilih tanggal awal dan tanggal akhir periode.",
        "reports.bad_order": (
            "Tanggal awal ({start}) jatuh setelah tanggal akhir ({end}); pilih periode yang "
            "dimulai lebih dulu."
        ),
        "reports.prepare": "Siapkan laporan",
        "reports.prepare_hint": "Tekan “Siapkan laporan” untuk membuat berkasnya.",
        "reports.preparing": "Menyiapkan laporan…",
        "reports.download": "Unduh {file}",
        "reports.ready": "{size}; {rows} baris zona, {region}, {start} hingga {end}.",
        "reports.preview": "Pratinjau",
        "reports.preview_note": "{shown} baris pertama tabel zona, dengan angka seperti dalam berkas.",
        "reports.last_day_only": "Berkas ini memuat zona pada hari terakhir periode saja.",
        "reports.empty": "Tidak ada zona dengan kegiatan di wilayah ini selama periode tersebut.",
        "reports.error": "Laporan tidak dapat dibuat: {problem}",
    },
    "en": {
        "app.tagline": "COVID-19 zone risk on H3 hexagons, offline.",
        "lang.label": "Bahasa / Language",
        "page.map": "Risk map",
        "page.trends": "Trends",
        "page.method": "Method",
        "filter.heading": "Filters",
        "filter.date": "Date",
        "filter.no_dates": "There is no data to show yet.",
        "filter.partial": "partial",
        "filter.partial_note": "Dates marked · partial have incomplete data.",
        "day.incomplete": (
            "Data for {day} are incomplete: only {share} of the population of the regions that "
            "usually report have reported. Its figures may still rise; the latest complete date "
            "is {complete}."
        ),
        "day.incomplete_none": (
            "Data for {day} are incomplete: only {share} of the population of the regions that "
            "usually report have reported. No date has complete data yet."
        ),
        "level.province": "Province",
        "level.regency": "Regency/City",
        "level.district": "District",
        "level.village": "Village",
        "region.all": "— All —",
        "region.country": "Indonesia",
        "breadcrumb.label": "Region",
        "notice.lang": "Unknown language {value}; showing Bahasa Indonesia.",
        "notice.page": "There is no page {value}; showing the risk map.",
        "notice.date": (
            "No data for the date {value}; showing the latest date with complete data, {latest}."
        ),
        "notice.region": "Unknown region {value}; showing all of Indonesia.",
        "notice.zone": "The data has no zone {value}; the map opens without it.",
        "risk.legend_title": "Risk level",
        "risk.red": "Red (high)",
        "risk.orange": "Orange (moderate)",
        "risk.green": "Green (low)",
        "risk.no_data": "Grey (no data)",
        "map.caption": (
            "Hover over a zone to see the reason for its colour. Data as of {day}; region: {region}."
        ),
        "map.empty": "There are no zones for this region and date.",
        "map.zone": (
            "Zone {zone} (H3 resolution {resolution}) is outlined in blue; the dot marks its centre."
        ),
        "map.zones": "Zone list",
        "column.zone": "Zone",
        "column.risk": "Risk",
        "column.reason": "Reason",
        "trends.caption": "New cases per day in {region}, up to {day}.",
        "trends.cases": "New cases",
        "trends.date": "Date",
        "trends.empty": "There is no trend data for this region yet.",
        "trends.hidden": "Days whose published count is below {k} are not drawn, for privacy.",
        "method.body": (
            "Every case report and every venue check-in is placed on an H3 hexagon. "
            "Each day the counts are summed per hexagon and rolled up to villages, districts, "
            "regencies and provinces. Cases known only by their region (a province's daily "
            "count, say) are shared out over the hexagons and the regions below it by "
            "population: a regency shows its share of the province's report, at the province's "
            "rate and colour, as its hexagons do.\n\n"
            "A zone's colour comes from the thresholds in the risk configuration file, and "
            "every zone keeps the reason for its colour. Zones without enough data are grey "
            "(*no data*), never green."
        ),
        "method.levels": "Risk levels",
        "build.missing": "There is no PantauZona build to show yet. {problem}",
        "build.command": "Make the sample build with this command, then reload this page:",
        "audience.official": (
            "In your region: exact figures, check-ins included. Elsewhere: the public view."
        ),
        "search.label": "Find my area",
        "search.placeholder": "Name, region code or coordinates (-6.2, 106.8)",
        "search.none": "No region matches {query}.",
        "search.outside": "The point {lat}, {lon} is not inside any region.",
        "search.found_point": "The point {lat}, {lon} is in {region}.",
        "search.results": "Search results",
        "locate.button": "Use my location",
        "locate.denied": "The browser refused access to your location. Allow location access for "
        "this site, or find your area by name, code or coordinates.",
        "locate.unavailable": "The browser could not tell your location. Find your area by name, "
        "code or coordinates.",
        "locate.timeout": "Your location was not found in time. Try again, or find your area by "
        "name, code or coordinates.",
        "locate.unsupported": "This browser cannot give a location. Find your area by name, code "
        "or coordinates.",
        "card.label": "Zone card",
        "card.colour": "{colour} zone",
        "card.trend": "Against last week",
        "card.meaning": "What it means",
        "card.todo": "What to do",
        "map.absent": (
            "Hexagons not drawn had no case in 14 days (for the public; for officials: no "
            "activity at all). Click a region to open it."
        ),
        "map.choropleth": "All of Indonesia by regency/city. Click a region to open it.",
        "map.resolution": "H3 hexagons at resolution {resolution}.",
        "summary.heading": "Summary",
        "summary.cases_7d": "Cases in 7 days",
        "summary.rate": "Cases per 100k (7 days)",
        "summary.shares": "Population by zone colour",
        "summary.data_until": "Data up to {day}; showing {shown}.",
        "summary.suppressed": (
            "Public figures carry a small random noise; below {k} they show as “< {k}”, to "
            "protect privacy."
        ),
        "trends.average": "7-day average",
        "trends.categories": "Check-ins by kind of venue, 7 days to {day} (officials)",
        "column.category": "Kind of venue",
        "column.checkins_7d": "Check-ins in 7 days",
        "column.exposed_7d": "Exposed in 7 days",
        "column.exposed_pct": "% exposed",
        "trends.checkins": "Check-ins per day",
        "trends.shares": "Share of population by zone colour",
        "trends.share": "Share of population",
        "trends.incomplete": "Incomplete data",
        "trends.compare": "Regions within {region} compared",
        "trends.series": "Series",
        "column.region": "Region",
        "column.cases_7d": "Cases in 7 days",
        "column.rate": "Per 100k",
        "column.trend": "Per 100k, 28 days",
        "column.trend_help": (
            "Cases per 100k in 7 days over the last 28 days; a gap is a day whose published "
            "count is below the privacy threshold."
        ),
        "method.criteria": "Criteria",
        "method.criterion": "Criterion {n}: {metric}",
        "method.metric": "Metric",
        "method.orange": "Orange from",
        "method.red": "Red from",
        "method.inclusive": "A value exactly at a threshold",
        "method.inclusive_yes": "reaches it (≥)",
        "method.inclusive_no": "must exceed it (>)",
        "method.red_min": "Red needs at least (cases in 7 days)",
        "method.min_checkins": "Applies with at least this many check-ins in 7 days",
        "method.min_baseline": "Applies with at least this many usual weekly check-ins",
        "method.worst": "A zone takes the worst colour over all criteria.",
        "method.no_data": "What “no data” means",
        "method.no_data_body": (
            "Zones with {max_population} residents or fewer, or where no criterion applies, are "
            "grey. A hexagon with no activity on a date reads “{populated}” when people live "
            "there and “{unpopulated}” when nobody does. A region with no report at all in the "
            "build period has no data too."
        ),
        "method.privacy": "Privacy",
        "method.privacy_body": (
            "Method: **cell-key perturbation** (as ABS TableBuilder and the ONS use) with "
            "**two-sided geometric noise** (the geometric mechanism, Ghosh et al. 2009). Every "
            "count the public reads (a day's, 7-day or 14-day cases) gets "
            "an integer noise with probability proportional to exp(-ε·|e|), ε = {epsilon}: a "
            "standard deviation of {sd}, and no noise for {zero} of counts. The noise is drawn "
            "from a hash of the zone and the count under a secret key, so the same count of the "
            "same zone reads the same on every day, window and page (repeated queries do not "
            "average it out). After the noise, a figure below {k} "
            "shows as “< {k}” — zero too. Rates, growth ratios and reasons are computed from "
            "the published figures only; a public reason names no criterion or threshold. "
            "Colours stay exact (a colour is not a count). The public map draws only hexagons "
            "with a case in 14 days, so venue activity does not show. As the noise can take "
            "any value, no sum or difference of public figures (a region minus its children, "
            "H3 resolutions, 7- and 14-day windows, ratios) can pin a small count. Check-in, "
            "exposure and crowding figures are for officials, who see exact figures in their "
            "region."
        ),
        "method.population": "Population sources",
        "method.sources": "Data sources and licences",
        "method.sources_more": "Full details: {path}.",
        "method.build": "Build: preset {preset}, data {start} to {end}, H3 resolutions {resolutions}.",
        "method.value": "Value",
        "method.setting": "Setting",
        "column.file": "File",
        "column.what": "Contents",
        "column.licence": "Licence",
        "column.source": "Population source",
        "column.regions": "Regions",
        # Population sources (geo.population.SOURCE_KEYS), on the method page
        "method.population_body": (
            "Each zone's population comes from the finest official table: DKI Jakarta kelurahan "
            "(Dukcapil, December 2019) as they are; Jawa Barat desa/kelurahan (Dukcapil, Semester I "
            "2024) and kecamatan in other provinces (Dukcapil, 2023) as shares of their "
            "kabupaten/kota total (Dukcapil, 2025). Places without a figure get the rest of their "
            "kabupaten/kota's total, spread by area. Within each region, population is spread "
            "evenly over its H3 cells."
        ),
        "population_source.village_2019_dki": "DKI Jakarta kelurahan (Dukcapil, December 2019)",
        "population_source.village_2024_jabar": (
            "Jawa Barat desa/kelurahan (Dukcapil, Semester I 2024), share of the kabupaten/kota"
        ),
        "population_source.district_2023": "Kecamatan (Dukcapil 2023), share of the kabupaten/kota",
        "population_source.regency_remainder": (
            "Rest of the kabupaten/kota (Dukcapil 2025), spread by area"
        ),
        "population_source.regency_area": "Kabupaten/kota (Dukcapil 2025), spread by area",
        "population_source.regency_2025": "Kabupaten/kota (Dukcapil 2025)",
        "population_source.sum_of_regencies": "Sum of kabupaten/kota (Dukcapil 2025)",
        "population_source.sum_of_villages_dki": "Sum of kelurahan (Dukcapil 2019)",
        "population_source.sum_of_villages": "Sum of desa/kelurahan",
        "population_source.no_boundary": (
            "None: no boundary, its people are counted in the rest of its kabupaten/kota"
        ),
        # Officials' sign-in (dashboard/signin.py)
        "signin.title": "Official sign-in",
        "signin.name": "Account name",
        "signin.password": "Password",
        "signin.submit": "Sign in",
        "signin.help": "For officials with an account from their administrator.",
        "signin.wrong": "Wrong name or password.",
        "signin.throttled": "Too many failed attempts; try again in {seconds} s.",
        "signin.badge": "Signed in as **{name}**  \nRegion: {region}",
        "signin.sign_out": "Sign out",
        "signin.refused.expired": "Your session expired; sign in again.",
        "signin.refused.tampered": "Your session is no longer valid; sign in again.",
        "signin.refused.malformed": "Your session is no longer valid; sign in again.",
        "signin.refused.account_removed": "Your account was removed; ask your administrator.",
        "signin.refused.password_changed": (
            "Your account's password was changed; sign in again with the new one."
        ),
        "signin.refused.unavailable": (
            "Official sign-in is unavailable: the accounts file cannot be read; ask your administrator."
        ),
        # --- Data page (officials: loading new data) ---
        "page.data": "Data",
        "data.officials_only": "This page is for officials only.",
        "data.intro": (
            "Load a cases, check-ins or venues file for {region} (CSV or Parquet, at most "
            "{max_mb} MB). Check its validation report, then add the file and rebuild. Load "
            "venues before the check-ins at them."
        ),
        "data.country": "all of Indonesia",
        "data.kind.cases": "Cases",
        "data.kind.checkins": "Check-ins",
        "data.kind.venues": "Venues",
        "data.upload": "{kind} file (CSV or Parquet)",
        "data.cumulative": "This file holds running totals per region and date",
        "data.cumulative_help": (
            "The count, total_cases or cumulative_cases column is the total of cases up to that "
            "date; PantauZona works out the new cases of each day (see README, Cumulative series)."
        ),
        "data.codes": "Edition of the region codes (--codes)",
        "data.codes.detect": "Detect from the file",
        "data.codes.2020": "2020 (Permendagri 72/2019)",
        "data.codes.2025": "2025 (Kemendagri)",
        "data.codes_help": (
            "Published COVID-19 series use the 2020 codes; the map uses the 2025 ones. Papua "
            "(91) and Papua Barat (92) were split in 2022 and some kecamatan were re-numbered "
            "(see README, Code editions)."
        ),
        "data.codes_read": "Region codes of the {edition} edition: {how}.",
        "data.codes_translated": (
            "When added, its rows are kept in 2025 codes: the cases of a region split since 2020 "
            "(Papua, Papua Barat) are apportioned to its successors by population."
        ),
        "data.how.none": "the file has no region codes",
        "data.how.declared": "as chosen",
        "data.how.only": "detected, codes such as {codes} exist only in this edition",
        "data.how.before": "detected by dates, rows coded {codes} are all dated before {day}",
        "data.how.from": "detected by dates, rows coded {codes} are all dated from {day}",
        "data.how.undecided": (
            "undecided, rows coded {codes} are dated before and after {day}, so they are "
            "quarantined; the other codes name the same region in both"
        ),
        "data.how.same": "every region code of the file names the same region in both",
        "data.refused": "File refused: {error}",
        "data.read": "Read",
        "data.accepted": "Accepted",
        "data.quarantined": "Quarantined",
        "data.already": "This file is already loaded, as {name}; loading it again changes nothing.",
        "data.nothing": "No row was accepted; fix the file using the reasons below.",
        "data.quarantine": "Quarantined rows",
        "data.download": "Download the quarantine (CSV)",
        "data.add": "Add and rebuild",
        "data.rebuilding": "Rebuilding…",
        "data.step": "Step {n} of {total}: {step}",
        "data.step.1": "reading inputs",
        "data.step.2": "validating rows",
        "data.step.3": "check-ins and exposure",
        "data.step.4": "population grid",
        "data.step.5": "indexing cells",
        "data.step.6": "cell metrics",
        "data.step.7": "region metrics",
        "data.step.8": "writing",
        "data.done": "Build finished.",
        "data.failed": "The build failed; the previous build is still served.",
        "data.error": "The build failed: {error} The previous build is still served.",
        "data.rebuilt": "Build updated: data from {start} to {end}.",
        "data.store": "Files loaded so far",
        "data.none_of_yours": "No file has been loaded for your region yet.",
        "data.store_empty": (
            "The inputs store {path} is empty: a new build would hold only the files added "
            "here. Seed it with the current build's files first, for example:"
        ),
        "data.rebuild": "Rebuild from every file",
        "data.col.kind": "Kind",
        "data.col.name": "File",
        "data.col.region": "Region",
        "data.col.codes": "Code edition",
        # Officials' views: what changed, and the map under another preset.
        "page.changes": "What changed",
        "changes.officials_only": "This page is for officials only.",
        "changes.caption": "Zones of {region} whose colour changed between {before} and {day}.",
        "changes.zones_hexagons": "Zones: H3 hexagons at resolution {resolution}, as on the map.",
        "changes.zones_regencies": "Zones: regencies and cities, as on the map.",
        "changes.before_build": (
            "The build's data start on {first}: nothing was recorded before, so 7 days earlier "
            "every zone had the colour of a zone without cases."
        ),
        "changes.worse": "Turned red or orange ({n})",
        "changes.better": "Improved ({n})",
        "changes.none_worse": "No zone turned red or orange.",
        "changes.none_better": "No zone improved.",
        "changes.other": "{n} other zones changed to or from “no data”.",
        "changes.open": "Open on the map",
        "changes.where": "in {region}",
        "changes.figures": "{cases} cases in 7 days · {rate} per 100k",
        "changes.more": "Showing the top {shown} of {n}; all of them are in the table below.",
        "changes.all": "All zones that changed ({n})",
        "column.before": "7 days earlier",
        "column.after": "Now",
        "column.change": "Change",
        "change.worse": "worse",
        "change.better": "better",
        "change.other": "other",
        "compare.label": "Compare with rule",
        "compare.none": "— No comparison —",
        "compare.help": "Colour the same zones by another rule, without rebuilding (officials).",
        "compare.active": "Active rule: {preset}",
        "compare.other": "Compared rule: {preset}",
        "compare.differ": "{n} of {total} zones have another colour under the {preset} rule.",
        "compare.same": "All {total} zones have the same colour under both rules.",
        "compare.risk": "Colour ({preset})",
        "compare.reason": "Reason ({preset})",
        "compare.summary": "Region summary (active rule)",
        # --- Reports (zone reports) ---
        "page.reports": "Reports",
        "reports.intro": (
            "Download the zones of {region} for a period: as tables (CSV, Excel), GIS data "
            "(GeoJSON, GeoPackage) or a printable PDF report."
        ),
        "reports.pick_region": (
            "Choose a province or a smaller region in the sidebar. Zone reports are made for one "
            "region; a report for the whole of Indonesia is not available yet."
        ),
        "reports.audience_public": (
            "**Public export**: published figures (with a small noise, below {k} read "
            "“< {k}”), only zones with a case in 14 days, and no check-in, exposure or crowding "
            "figures."
        ),
        "reports.audience_official": (
            "**Officials' export** for {region}: exact figures, check-ins and exposure included. "
            "Do not share it with the public."
        ),
        "reports.outside_scope": "{region} is outside your region ({scope}), so the export is public.",
        "reports.from": "From",
        "reports.to": "To",
        "reports.resolution": "H3 resolution",
        "reports.resolution_help": (
            "A larger number means smaller hexagons. The map uses resolution {resolution} for "
            "this region."
        ),
        "reports.format": "Format",
        "reports.language": "Report language",
        "reports.about_csv": "CSV: the zones of every day of the period, one row per zone and day.",
        "reports.about_xlsx": (
            "Excel: one sheet per table (zones, the region's daily series, the regions within, "
            "colour changes), plus the meaning of each column and the method."
        ),
        "reports.about_geojson": (
            "GeoJSON: the zones on the period's last day, with geometry, colour, reason and figures."
        ),
        "reports.about_gpkg": "GeoPackage: the same zones as the GeoJSON, for QGIS or ArcGIS.",
        "reports.about_pdf": (
            "PDF: a printable report with the zone map, trend charts, the regions within, colour "
            "changes, the method and the sources."
        ),
        "reports.no_dates": "Choose the first and the last day of the period.",
        "reports.bad_order": (
            "The first day ({start}) is after the last day ({end}); choose a period that starts "
            "first."
        ),
        "reports.prepare": "Prepare report",
        "reports.prepare_hint": "Press “Prepare report” to make the file.",
        "reports.preparing": "Preparing the report…",
        "reports.download": "Download {file}",
        "reports.ready": "{size}; {rows} zone rows, {region}, {start} to {end}.",
        "reports.preview": "Preview",
        "reports.preview_note": "The first {shown} rows of the zone table, with figures as in the file.",
        "reports.last_day_only": "This file holds the zones of the period's last day only.",
        "reports.empty": "No zone had any activity in this region during the period.",
        "reports.error": "The report could not be made: {problem}",
    },
}

#: Hotspots and next week's outlook (issue 12), kept together so that they merge as one block.
_HOTSPOT_STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "layer.label": "Lapisan peta",
        "layer.risk": "Risiko",
        "layer.hotspot": "Hotspot",
        "layer.outlook": "Perkiraan",
        "hotspot.legend_title": "Hotspot (Gi*, FDR 5 %)",
        "hotspot.hot": "Hotspot (klaster tinggi)",
        "hotspot.cold": "Coldspot (klaster rendah)",
        "hotspot.none": "Bukan klaster",
        "hotspot.no_data": "Abu-abu (tidak ada data)",
        "hotspot.tooltip": "Hotspot: {state}",
        "hotspot.tooltip_share": "Penduduk di zona hotspot: {share}",
        "hotspot.tooltip_z": "z = {z} · p (FDR) = {p}",
        "hotspot.note": (
            "Hotspot: zona yang bersama tetangganya memiliki kasus per 100 ribu (dihaluskan) jauh di "
            "atas rata-rata hari itu — statistik Getis-Ord Gi* dengan koreksi FDR 5 %. Zona merah "
            "yang bukan hotspot bisa jadi hanya beberapa kasus di penduduk yang kecil."
        ),
        "outlook.heading": "Perkiraan minggu depan",
        "outlook.not_rule": "perkiraan, bukan aturan",
        "outlook.value": "{cases} kasus dalam 7 hari (interval 90 %: {low}-{high}) · {colour}",
        "outlook.legend_title": "Perkiraan minggu depan (perkiraan, bukan aturan)",
        "outlook.hidden": (
            "Perkiraan minggu depan tidak ditampilkan: pada uji mundur dengan data provinsi yang "
            "sebenarnya (2020-2021), perkiraan ini tidak lebih baik daripada menganggap minggu "
            "depan sama dengan minggu ini (ketepatan warna {acc_outlook} vs {acc_persistence}; "
            "galat rata-rata {mae_outlook} vs {mae_persistence} kasus). Lihat Metodologi."
        ),
        "summary.hot_share": "Penduduk di zona hotspot",
        "changes.new_hotspots": "Hotspot baru minggu ini ({n})",
        "changes.no_new_hotspots": "Tidak ada hotspot baru di zona peta ini.",
        "changes.hotspots_country": (
            "Hotspot dihitung per heksagon: buka sebuah provinsi atau wilayah yang lebih kecil."
        ),
        "column.hotspot_before": "7 hari sebelumnya",
        "column.hotspot": "Hotspot",
        "method.backtest_heading": "Uji mundur perkiraan minggu depan",
        "method.backtest_intro": (
            "Data harian provinsi yang sebenarnya (Satgas COVID-19, 34 provinsi, 2020-03 → "
            "2021-08), titik awal bergulir tiap 7 hari, satu minggu ke depan; warna menurut "
            "aturan ppkm. Dibuat ulang dengan `python -m geo backtest`."
        ),
        "method.backtest_shown": "Perkiraan mengalahkan persistensi, sehingga ditampilkan.",
        "method.backtest_hidden": (
            "Perkiraan tidak mengalahkan persistensi (minggu depan = minggu ini), sehingga tidak "
            "ditampilkan di peta, ringkasan, maupun laporan PDF."
        ),
        "backtest.method": "Metode",
        "backtest.forecasts": "Perkiraan",
        "backtest.accuracy": "Ketepatan warna (ppkm)",
        "backtest.mae": "Galat absolut rata-rata kasus 7 hari",
        "backtest.coverage": "Cakupan interval 90 %",
        "backtest.outlook": "perkiraan (pertumbuhan diredam, menyusut ke nasional)",
        "backtest.persistence": "persistensi (minggu depan = minggu ini)",
        "backtest.growth_once": "pertumbuhan sekali (minggu ini x pertumbuhannya)",
    },
    "en": {
        "layer.label": "Map layer",
        "layer.risk": "Risk",
        "layer.hotspot": "Hotspot",
        "layer.outlook": "Outlook",
        "hotspot.legend_title": "Hotspot (Gi*, FDR 5%)",
        "hotspot.hot": "Hotspot (high cluster)",
        "hotspot.cold": "Cold spot (low cluster)",
        "hotspot.none": "Not a cluster",
        "hotspot.no_data": "Grey (no data)",
        "hotspot.tooltip": "Hotspot: {state}",
        "hotspot.tooltip_share": "Population in hotspot zones: {share}",
        "hotspot.tooltip_z": "z = {z} · p (FDR) = {p}",
        "hotspot.note": (
            "Hotspot: a zone that, with its neighbours, has (smoothed) cases per 100k far above "
            "the day's average — the Getis-Ord Gi* statistic with a 5% false discovery rate. A red "
            "zone that is not a hotspot may be a handful of cases in a small population."
        ),
        "outlook.heading": "Next week's outlook",
        "outlook.not_rule": "outlook, not a rule",
        "outlook.value": "{cases} cases in 7 days (90% interval: {low}-{high}) · {colour}",
        "outlook.legend_title": "Next week's outlook (outlook, not a rule)",
        "outlook.hidden": (
            "Next week's outlook is not shown: in a backtest on the real province series "
            "(2020-2021) it did not beat assuming next week equals this week (colour accuracy "
            "{acc_outlook} vs {acc_persistence}; mean error {mae_outlook} vs {mae_persistence} "
            "cases). See Method."
        ),
        "summary.hot_share": "Population in hotspot zones",
        "changes.new_hotspots": "New hotspots this week ({n})",
        "changes.no_new_hotspots": "No new hotspots among this map's zones.",
        "changes.hotspots_country": (
            "Hotspots are found per hexagon: open a province or a smaller region."
        ),
        "column.hotspot_before": "7 days before",
        "column.hotspot": "Hotspot",
        "method.backtest_heading": "Backtest of next week's outlook",
        "method.backtest_intro": (
            "The real daily province series (Satgas COVID-19, 34 provinces, 2020-03 → 2021-08), "
            "rolling origin every 7 days, one week ahead; colours under the ppkm rule. Reproduced "
            "by `python -m geo backtest`."
        ),
        "method.backtest_shown": "The outlook beats persistence, so it is shown.",
        "method.backtest_hidden": (
            "The outlook does not beat persistence (next week = this week), so it is not shown "
            "on the map, the summary or the PDF reports."
        ),
        "backtest.method": "Method",
        "backtest.forecasts": "Forecasts",
        "backtest.accuracy": "Colour accuracy (ppkm)",
        "backtest.mae": "Mean absolute error of 7-day cases",
        "backtest.coverage": "90% interval coverage",
        "backtest.outlook": "outlook (damped growth, shrunk to the country)",
        "backtest.persistence": "persistence (next week = this week)",
        "backtest.growth_once": "growth once (this week x its growth)",
    },
}
for _lang, _strings in _HOTSPOT_STRINGS.items():
    STRINGS[_lang].update(_strings)

# --- i18n: quarantine reasons and error sentences of the Data page (dashboard/data_words.py) ---
_DATA_WORDS_STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "data.qcol.file": "Berkas",
        "data.qcol.row": "Baris",
        "data.qcol.column": "Kolom",
        "data.qcol.check": "Pemeriksaan",
        "data.qcol.value": "Nilai",
        "data.qcol.reason": "Alasan",
        "reason.malformed_row": "jumlah isian baris ini tidak sama dengan baris judul",
        "reason.no_location": "tanpa lokasi: isi lat dan lon, atau region_code",
        "reason.missing": "{column} kosong",
        "reason.duplicate": "{column} ganda (pertama di baris {row})",
        "reason.duplicate_loaded": "{column} ganda (sudah dimuat dari {earlier})",
        "reason.too_early": "{column} sebelum {day} (input.earliest_date)",
        "reason.future_today": "{column} setelah hari ini ({day})",
        "reason.future": "{column} setelah {day} (input.latest_date)",
        "reason.not_date": "{column} bukan tanggal (TTTT-BB-HH)",
        "reason.not_timestamp": "{column} bukan tanggal dan jam ISO",
        "reason.not_number": "{column} bukan angka",
        "reason.swapped": "lintang dan bujur tampaknya tertukar? (lat bernilai ~95..141)",
        "reason.out_of_range": "{column} di luar rentang {range}",
        "reason.null_island": "lat/lon bernilai 0,0 (titik nol)",
        "reason.outside_indonesia": "titik berada di luar wilayah Indonesia",
        "reason.count": "check-in tidak memakai kolom jumlah: satu baris per check-in",
        "reason.negative": "{column} negatif",
        "reason.not_whole": "{column} bukan bilangan bulat (hanya angka)",
        "reason.duplicate_region": (
            "laporan ganda untuk wilayah {place} pada {day} (pertama di baris {row})"
        ),
        "reason.duplicate_point": (
            "laporan ganda untuk titik {place} pada {day} (pertama di baris {row})"
        ),
        "reason.unknown_region": "kode wilayah tidak dikenal (Kemendagri 2025)",
        "reason.unknown_region_2020": "kode wilayah tidak dikenal (Permendagri 72/2019, edisi 2020)",
        "reason.only_2020": (
            "kode wilayah {code} hanya ada di edisi 2020 (Permendagri 72/2019); untuk berkas "
            "berkode 2020 berikan --codes 2020"
        ),
        "reason.only_2025": (
            "kode wilayah {code} hanya ada di edisi 2025 (Kemendagri); untuk berkas berkode 2025 "
            "berikan --codes 2025"
        ),
        "reason.unplaced": (
            "kode wilayah {code} edisi 2020 dimekarkan dan wilayah penerusnya tidak punya data "
            "penduduk untuk membagi kasusnya"
        ),
        "reason.ambiguous_code": (
            "kode wilayah {code} berarti wilayah berbeda di edisi 2020 dan 2025, dan tanggal "
            "berkas melintasi {day}; berikan --codes 2020 atau --codes 2025"
        ),
        "reason.unknown_venue": "check-in di tempat yang tidak termasuk tempat yang diterima",
        "reason.outside_checkin": "tempat check-in berada di luar wilayah Anda {where}",
        "reason.outside_case_2020": (
            "kasus berada di luar wilayah Anda {where}: kode wilayah {code} edisi 2020 kini "
            "adalah {heirs}"
        ),
        "reason.outside_case": "kasus berada di luar wilayah Anda {where}",
        "reason.outside_venue": "tempat berada di luar wilayah Anda {where}",
        "error.too_big": (
            "{name} berukuran {size} MB, lebih dari {max} MB yang dapat dimuat sekaligus "
            "(server.maxUploadSize); pecah berkas per tanggal."
        ),
        "error.utf16": "{name} tampaknya teks UTF-16 tanpa byte-order mark; simpan sebagai UTF-8.",
        "error.binary": "{name} bukan berkas teks CSV (berisi data biner).",
        "error.not_utf8": "{name} bukan teks UTF-8; simpan sebagai CSV UTF-8.",
        "error.bad_utf16": "{name} bukan teks UTF-16 yang sah; simpan sebagai CSV UTF-8.",
        "error.empty": "{name} kosong: berkas perlu baris judul.",
        "error.twice": "{name} memuat kolom {listed} lebih dari sekali; sisakan satu.",
        "error.wrong_edition": (
            "{name} dinyatakan berkode {declared} (--codes {declared}), tetapi kode wilayahnya "
            "hanya bermakna di edisi {other} (mis. {codes}); berikan --codes {other}."
        ),
        "error.mixed_editions": (
            "{name} mencampur dua edisi kode wilayah: {old} hanya ada di edisi 2020 "
            "(Permendagri 72/2019), {new} hanya di edisi 2025 (Kemendagri); berikan --codes 2020 "
            "atau --codes 2025 (kode edisi lain lalu dikarantina)."
        ),
        "error.two_names": (
            "{name} memuat '{first}' dan '{second}', dua nama untuk kolom '{field}'; sisakan "
            "satu (atau ganti nama yang lain)."
        ),
        "error.bad_csv": "{name} tidak dapat dibaca sebagai CSV: {detail}.",
        "error.bad_parquet": "{name} bukan berkas Parquet yang sah ({detail}).",
        "error.file_type": "{name}: jenis berkas {suffix} tidak dikenal; gunakan .csv atau .parquet.",
        "error.missing_column": "{name} tidak memuat kolom wajib {names} untuk data {kind}.",
        "error.missing_columns": "{name} tidak memuat kolom-kolom wajib {names} untuk data {kind}.",
        "error.nothing_accepted": (
            "Tidak ada baris masukan yang diterima, jadi tidak ada yang dapat dibangun; {n} baris "
            "karantina beserta alasan penolakannya ada di {path}."
        ),
        "error.no_cases": "Penyimpanan masukan {path} belum berisi kasus: muat berkas kasus dulu.",
    },
    "en": {
        "data.qcol.file": "File",
        "data.qcol.row": "Row",
        "data.qcol.column": "Column",
        "data.qcol.check": "Check",
        "data.qcol.value": "Value",
        "data.qcol.reason": "Reason",
        "reason.malformed_row": "the row does not have the same number of fields as the header",
        "reason.no_location": "no location: give lat and lon, or region_code",
        "reason.missing": "{column} is missing",
        "reason.duplicate": "duplicate {column} (first at row {row})",
        "reason.duplicate_loaded": "duplicate {column} (already loaded from {earlier})",
        "reason.too_early": "{column} is before {day} (input.earliest_date)",
        "reason.future_today": "{column} is after today ({day})",
        "reason.future": "{column} is after {day} (input.latest_date)",
        "reason.not_date": "{column} is not a date (YYYY-MM-DD)",
        "reason.not_timestamp": "{column} is not an ISO date and time",
        "reason.not_number": "{column} is not a number",
        "reason.swapped": "latitude and longitude look swapped? (lat is ~95..141)",
        "reason.out_of_range": "{column} is outside {range}",
        "reason.null_island": "lat/lon is 0,0 (null island)",
        "reason.outside_indonesia": "the point is outside Indonesia's regions",
        "reason.count": "check-ins have no count column: one row per check-in",
        "reason.negative": "{column} is negative",
        "reason.not_whole": "{column} is not a whole number (digits only)",
        "reason.duplicate_region": (
            "duplicate report of region {place} on {day} (first at row {row})"
        ),
        "reason.duplicate_point": "duplicate report of point {place} on {day} (first at row {row})",
        "reason.unknown_region": "unknown region code (Kemendagri 2025)",
        "reason.unknown_region_2020": "unknown region code (Permendagri 72/2019, the 2020 edition)",
        "reason.only_2020": (
            "region code {code} exists only in the 2020 edition (Permendagri 72/2019); for a "
            "file in 2020 codes give --codes 2020"
        ),
        "reason.only_2025": (
            "region code {code} exists only in the 2025 edition (Kemendagri); for a file in 2025 "
            "codes give --codes 2025"
        ),
        "reason.unplaced": (
            "region code {code} of the 2020 edition was split and its successors have no "
            "population to apportion its cases by"
        ),
        "reason.ambiguous_code": (
            "region code {code} names different areas in the 2020 and 2025 editions and the "
            "file's dates span {day}; give --codes 2020 or --codes 2025"
        ),
        "reason.unknown_venue": "check-in at a venue that is not among the accepted venues",
        "reason.outside_checkin": "the check-in's venue is outside your region {where}",
        "reason.outside_case_2020": (
            "the case is outside your region {where}: region code {code} of the 2020 edition "
            "is today's {heirs}"
        ),
        "reason.outside_case": "the case is outside your region {where}",
        "reason.outside_venue": "the venue is outside your region {where}",
        "error.too_big": (
            "{name} is {size} MB, more than the {max} MB that can be loaded at once "
            "(server.maxUploadSize); split it by date."
        ),
        "error.utf16": "{name} looks like UTF-16 text without a byte-order mark; save it as UTF-8.",
        "error.binary": "{name} is not a CSV text file (it contains binary data).",
        "error.not_utf8": "{name} is not UTF-8 text; save it as UTF-8 CSV.",
        "error.bad_utf16": "{name} is not valid UTF-16 text; save it as UTF-8 CSV.",
        "error.empty": "{name} is empty: it needs a header line.",
        "error.twice": "{name} has the column {listed} more than once; keep one.",
        "error.wrong_edition": (
            "{name} is declared in {declared} codes (--codes {declared}) but its region codes "
            "make sense only in the {other} edition (e.g. {codes}); give --codes {other}."
        ),
        "error.mixed_editions": (
            "{name} mixes the two editions of region codes: {old} exist only in the 2020 edition "
            "(Permendagri 72/2019), {new} only in the 2025 edition (Kemendagri); give --codes "
            "2020 or --codes 2025 (codes of the other edition are then quarantined)."
        ),
        "error.two_names": (
            "{name} has both '{first}' and '{second}', two names for the column '{field}'; keep "
            "one (or rename the other)."
        ),
        "error.bad_csv": "{name} could not be read as CSV: {detail}.",
        "error.bad_parquet": "{name} is not a valid Parquet file ({detail}).",
        "error.file_type": "{name}: unknown file type {suffix}; use .csv or .parquet.",
        "error.missing_column": "{name} is missing the required column {names} for {kind}.",
        "error.missing_columns": "{name} is missing the required columns {names} for {kind}.",
        "error.nothing_accepted": (
            "No input row was accepted, so there is nothing to build; the {n} quarantined rows "
            "and why they were refused are in {path}."
        ),
        "error.no_cases": "The inputs store {path} holds no cases yet: load a cases file first.",
    },
}
for _lang, _strings in _DATA_WORDS_STRINGS.items():
    STRINGS[_lang].update(_strings)

# --- i18n: the Method page's data files and licences (dashboard/method_tables.py) ---
_DATA_FILE_STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "datafile.provinces": "38 provinsi (kode 11 … 96)",
        "datafile.provinces_lowres": "38 provinsi yang sama, resolusi rendah, hanya untuk peta cepat",
        "datafile.regencies": "514 kabupaten/kota menurut Kepmendagri 2025",
        "datafile.districts": "kecamatan menurut Kepmendagri 2025 (7.277 dari 7.285)",
        "datafile.villages_31": "267 kelurahan DKI Jakarta (provinsi 31)",
        "datafile.villages_32": "5.957 desa/kelurahan Jawa Barat (provinsi 32)",
        "datafile.regions": "tabel wilayah: kode, nama, hierarki, padanan kode 2020, penduduk",
        "datafile.jakarta_village_population_dukcapil_2019": (
            "penduduk per kelurahan DKI Jakarta, Dukcapil Desember 2019"
        ),
        "datafile.district_population_dukcapil_2023": (
            "penduduk terdaftar per kecamatan, seluruh Indonesia (7.240 dari 7.285 kecamatan)"
        ),
        "datafile.jabar_village_population_dukcapil_2024s1": (
            "penduduk terdaftar per desa/kelurahan Jawa Barat, Dukcapil Semester I 2024"
        ),
        "datafile.province_daily": "angka harian COVID-19 per provinsi, kode 2020 (34 provinsi)",
        "datafile.national_daily": "angka harian COVID-19 nasional (Satgas)",
        "datafile.jakarta_venues": "3.957 tempat umum di DKI Jakarta",
        "licence.none": "tidak dinyatakan",
    },
    "en": {
        "datafile.provinces": "the 38 provinces (codes 11 … 96)",
        "datafile.provinces_lowres": "the same 38 provinces, low resolution, for quick maps only",
        "datafile.regencies": "the 514 kabupaten/kota of Kepmendagri 2025",
        "datafile.districts": "kecamatan of Kepmendagri 2025 (7,277 of 7,285)",
        "datafile.villages_31": "the 267 kelurahan of DKI Jakarta (province 31)",
        "datafile.villages_32": "the 5,957 desa/kelurahan of Jawa Barat (province 32)",
        "datafile.regions": "the region table: codes, names, hierarchy, 2020-code crosswalk, population",
        "datafile.jakarta_village_population_dukcapil_2019": (
            "population by kelurahan for DKI Jakarta, Dukcapil December 2019"
        ),
        "datafile.district_population_dukcapil_2023": (
            "registered population per kecamatan, all Indonesia (7,240 of the 7,285 kecamatan)"
        ),
        "datafile.jabar_village_population_dukcapil_2024s1": (
            "registered population per desa/kelurahan of Jawa Barat, Dukcapil Semester I 2024"
        ),
        "datafile.province_daily": "daily COVID-19 counts per province, 2020 codes (34 provinces)",
        "datafile.national_daily": "national daily COVID-19 series (Satgas)",
        "datafile.jakarta_venues": "3,957 points of interest in DKI Jakarta",
        "licence.none": "none stated",
    },
}
for _lang, _strings in _DATA_FILE_STRINGS.items():
    STRINGS[_lang].update(_strings)

# ASCII punctuation that Streamlit's Markdown gives a meaning to (CommonMark, `$` for LaTeX,
# `:` for emoji/icon/colour directives). CommonMark lets a backslash escape any of them.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def t(key: str, lang: str, **fmt: object) -> str:
    """Return the UI string ``key`` in ``lang``, formatted with ``fmt``.

    Parameters
    ----------
    key
        A key of ``STRINGS[lang]``; an unknown key is a bug and raises ``KeyError``.
    lang
        ``"id"`` or ``"en"``; anything else falls back to Bahasa Indonesia.
    **fmt
        Values for the string's ``{placeholders}``. Escape untrusted text first.
    """
    strings = STRINGS.get(lang, STRINGS[DEFAULT_LANG])
    text = strings[key]
    return text.format(**fmt) if fmt else text


def format_date(day: date, lang: str) -> str:
    """Format ``day`` as ``27 Nov 2026`` (``27 Agu 2026`` in Bahasa Indonesia), by Babel."""
    return formats.date(day, lang if lang in LANGS else DEFAULT_LANG, "medium")


def escape_markdown(text: str, *, max_length: int = 80) -> str:
    """Make untrusted ``text`` display literally inside Streamlit Markdown.

    Long values (say, a pasted URL parameter) are cut to ``max_length`` characters.
    """
    if len(text) > max_length:
        text = text[: max_length - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code_span(text: str, *, max_length: int = 80) -> str:
    """Untrusted ``text`` as a Markdown code span: shown literally, never markup or a link.

    Streamlit's Markdown turns URLs, ``www.`` names and e-mail addresses in text into links even
    when their punctuation is escaped; in a code span nothing is. Line breaks and other control
    characters become spaces; long values are cut to ``max_length`` characters.
    """
    text = _CONTROL.sub(" ", text)
    if len(text) > max_length:
        text = text[: max_length - 1] + "…"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if not text or text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"
