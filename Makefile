# Two commands set everything up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint format bench model eval catalogue clean

$(STAMP): requirements/service.txt requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install everything (idempotent)

.venv: $(STAMP)

serve: $(STAMP)  ## run the service on 127.0.0.1:8000 with the committed model
	$(BIN)/python -m service

test: $(STAMP)  ## run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff (lint + format check) and mypy strict
	$(BIN)/ruff check service training tests benchmarks
	$(BIN)/ruff format --check service training tests benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format service training tests benchmarks
	$(BIN)/ruff check --fix service training tests benchmarks

bench: $(STAMP)  ## print speed and memory figures
	$(BIN)/python -m benchmarks

catalogue: $(STAMP)  ## rebuild models/catalogue from the code-set packages
	$(BIN)/python -m training build-catalogue

model: $(STAMP) catalogue  ## rebuild the catalogue and the default model from the data in the repo
	$(BIN)/python -m training all

eval: $(STAMP)  ## re-run the default recipe on CodiEsp train and evaluate it on dev
	$(BIN)/python -m training prepare --out build/data
	$(BIN)/python -m training train --data build/data/train.jsonl --out build/models/dev
	$(BIN)/python -m training evaluate --model build/models/dev --data build/data/dev.jsonl --out build/eval/dev

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
