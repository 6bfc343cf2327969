# `make help` lists the targets. Each target creates .venv when it is missing.
PY := .venv/bin/python

.PHONY: help results test test-slow benchmark timing synthetic lint clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

.venv/.installed: pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q -e '.[dev]'
	touch $@

results: .venv/.installed  ## regenerate results/ from data/ and code
	$(PY) -m impact run study.toml

test: .venv/.installed  ## run the default test suite (< 10 min on 2 cores)
	$(PY) -m pytest

test-slow: .venv/.installed  ## run the long statistical checks too
	$(PY) -m pytest -m "slow or not slow"

benchmark: .venv/.installed  ## run the full simulation benchmark (writes benchmarks/results/)
	$(PY) benchmarks/run_benchmark.py

synthetic: .venv/.installed  ## regenerate data/synthetic/ byte-identically from its seed
	$(PY) -m impact synthesize

lint: .venv/.installed  ## ruff
	.venv/bin/ruff check src tests benchmarks

clean:  ## remove generated interim data (never data/raw)
	rm -rf data/interim data/processed

timing: .venv/.installed  ## time the study's steps against a plain statsmodels fit (benchmarks/results/timing.md)
	$(PY) benchmarks/time_study.py
