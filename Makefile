# orbitsim: two commands on a fresh machine (Python >= 3.11 is all it needs).
#   make demo   create .venv, install orbitsim, run the main job on the embedded catalog
#   make test   create/update the same .venv with the test, bench and dask extras, run the whole suite
#   make bench  run benchmarks/ (prints a table, writes benchmarks/results/*.json)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip

.PHONY: demo test bench clean venv

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
	$(VENV)/bin/orbitsim simulate cosmos-1408 --seeds 4 --out runs/demo-cosmos-1408 --force

test: $(VENV)/.installed-test
	$(PY) -m pytest -q

bench: $(VENV)/.installed-test
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info runs benchmarks/results
