# PantauZona — developer entry points. GNU make.
#   make run     build the sample data (once) and start the dashboard on $(PORT)
#   make test    install dev deps + Chromium + Leaflet, make lint, run pytest ($(PYTEST_ARGS) passed through)
#   make lint    ruff check + ruff format --check + mypy on geo/ (config in pyproject.toml)
#   make bench-load  N browserless sessions against the dashboard (not part of `make test`)
#   make bench-real  whole builds of published data shapes: time, peak memory, invariants
#   make bench-national  the build at national volume, 8 M check-ins a day (not part of `make test`)
#   make bench-national-dashboard  the dashboard benchmark on a 14-day national build (build/national14)

SHELL := /bin/bash
.DEFAULT_GOAL := run

PY      := .venv/bin/python
PIP     := $(PY) -m pip
PORT    ?= 8501
PYTEST_ARGS ?=

LEAFLET_VERSION := 1.9.4
LEAFLET_DIR     := dashboard/static/leaflet
LEAFLET_STAMP   := $(LEAFLET_DIR)/.leaflet-$(LEAFLET_VERSION)
# axe-core, injected into the pages by the browser tests (tests/test_accessibility_browser.py).
AXE_VERSION     := 4.11.0
# The stamp lives inside the package, so that a later `npm install` pruning it also drops the stamp.
AXE_STAMP       := node_modules/axe-core/.axe-core-$(AXE_VERSION)

SAMPLE_IN := build/sample-input
SAMPLE    := build/sample
SAMPLE_STORE := build/sample-inputs

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: venv dev chromium static axe sample run test bench bench-load bench-real bench-national bench-national-dashboard lint clean

# --- Python environment -------------------------------------------------------

venv: .venv/.installed-runtime

dev: .venv/.installed-dev chromium static axe

$(PY):
	python3 -m venv .venv

.venv/.installed-runtime: requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	touch $@

.venv/.installed-dev: requirements-dev.txt .venv/.installed-runtime | $(PY)
	$(PIP) install -r requirements-dev.txt
	touch $@

# --- System browser for the browser tests (Debian package; no browser downloads) -

chromium:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then \
	  echo "chromium: $$(command -v chromium); poppler: $$(command -v pdftoppm)"; \
	else \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	    chromium poppler-utils; \
	fi

# --- Leaflet, served offline by Streamlit static serving ------------------------

static: $(LEAFLET_STAMP)

$(LEAFLET_STAMP):
	npm install --no-save --no-audit --no-fund --prefix . leaflet@$(LEAFLET_VERSION)
	@v=$$(node -p "require('./node_modules/leaflet/package.json').version"); \
	  if [ "$$v" != "$(LEAFLET_VERSION)" ]; then \
	    echo "expected leaflet $(LEAFLET_VERSION), got $$v" >&2; exit 1; fi
	rm -rf $(LEAFLET_DIR)
	mkdir -p $(LEAFLET_DIR)
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(LEAFLET_DIR)/
	cp -R node_modules/leaflet/dist/images $(LEAFLET_DIR)/images
	touch $@

# --- axe-core, for the accessibility checks of the browser tests -----------------

axe: $(AXE_STAMP)

$(AXE_STAMP):
	npm install --no-save --no-audit --no-fund --prefix . axe-core@$(AXE_VERSION)
	@v=$$(node -p "require('./node_modules/axe-core/package.json').version"); \
	  if [ "$$v" != "$(AXE_VERSION)" ]; then \
	    echo "expected axe-core $(AXE_VERSION), got $$v" >&2; exit 1; fi
	touch $@

# --- Sample data ----------------------------------------------------------------

sample: $(SAMPLE)/manifest.json $(SAMPLE_STORE)/store.json

$(SAMPLE)/manifest.json: | .venv/.installed-runtime
	$(PY) -m geo sample --out $(SAMPLE_IN)
	$(PY) -m geo build --cases $(SAMPLE_IN)/cases.csv --checkins $(SAMPLE_IN)/checkins.parquet \
	  --venues $(SAMPLE_IN)/venues.csv --out $(SAMPLE)

# The inputs store the dashboard's Data page adds files to and rebuilds from (see README).
$(SAMPLE_STORE)/store.json: | $(SAMPLE)/manifest.json
	$(PY) -m geo load --inputs $(SAMPLE_STORE) --venues $(SAMPLE_IN)/venues.csv \
	  --checkins $(SAMPLE_IN)/checkins.parquet --cases $(SAMPLE_IN)/cases.csv

# --- Run, test, benchmark, lint ---------------------------------------------------

run: venv static sample
	$(PY) -m streamlit run dashboard/app.py --server.port $(PORT)

test: dev static lint
	$(PY) -m pytest $(PYTEST_ARGS)

bench: venv
	$(PY) -m benchmarks
	$(PY) -m benchmarks.dashboard
	$(PY) -m benchmarks.hotspots
	$(PY) -m geo backtest

# Published data shapes: make bench-real REAL_ARGS="province dki kecamatan"
REAL_ARGS ?=
bench-real: venv
	$(PY) -m benchmarks.realdata $(REAL_ARGS)

# Sessions and visits: make bench-load LOAD_ARGS="--sessions 5,10 --rounds 1"
LOAD_ARGS ?=
bench-load: venv sample
	$(PY) -m benchmarks.load $(LOAD_ARGS)

# Scale: make bench-national NATIONAL_ARGS="--days 1 --checkins-per-day 1000000"
NATIONAL_ARGS ?=
bench-national: .venv/.installed-dev
	$(PY) -m benchmarks.national $(NATIONAL_ARGS)

# Dashboard on a national build: make bench-national-dashboard DASHBENCH_ARGS="--browser --runs 3"
# (writes build/national14-inputs and build/national14 once; the build's memory capped, --max-gb 8)
DASHBENCH_ARGS ?=
bench-national-dashboard: .venv/.installed-dev
	$(PY) -m benchmarks.national_dashboard $(DASHBENCH_ARGS)

lint: .venv/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

clean:
	rm -rf build .pytest_cache .ruff_cache .mypy_cache test-artifacts
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
	  -type d -name __pycache__ -print0 | xargs -0 rm -rf
