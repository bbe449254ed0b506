# orbitsim: two commands on a fresh machine (Python >= 3.11 is all it needs).
#   make demo   create .venv, install orbitsim, run the main job on the embedded catalog
#   make test   create/update the same .venv with the test, bench and dask extras (and headless
#               Chromium for the report.html checks, via apt-get when root), run the whole suite
#   make bench  run benchmarks/ (prints a table, writes benchmarks/results/*.json)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip

.PHONY: demo test bench clean venv browser

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-base: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e ".[test,bench,dask]"
	touch $@ $(VENV)/.installed-base

venv: $(VENV)/.installed-base

demo: $(VENV)/.installed-base
	$(VENV)/bin/orbitsim catalog info
	$(VENV)/bin/orbitsim simulate cosmos-1408 --out runs/demo-cosmos-1408 --force

test: $(VENV)/.installed-test browser
	$(PY) -m pytest -q

# report.html is checked in a real browser (headless Chromium, Debian package 'chromium'):
# installed here when missing and running as root (CI), else the report tests say what to install.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "note: chromium not found; install it (apt-get install chromium) for the report.html checks"

bench: $(VENV)/.installed-test
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info runs benchmarks/results
