# 常用命令：make build（生成网站到 output/）、make test（全部检查）、make serve（本地预览）。
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build serve test lint typecheck unit golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/dangjian build

serve: $(STAMP)
	$(BIN)/dangjian serve

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck unit

# Regenerate the golden output of the fixture site after an intended change.
golden: $(STAMP)
	$(BIN)/python -m tests.regen_golden

clean:
	rm -rf output .dangjian-cache
