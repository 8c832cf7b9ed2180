# 常用命令：make build（生成网站到 output/）、make test（全部检查）、make serve（本地预览）、
# make dist（离线安装包 dist/dangjian-<版本>-offline.zip）。
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build serve test lint typecheck unit golden screenshots dist clean

# The browser checks need the npm packages vnu-jar and axe-core (package-lock.json). Where npm is
# missing they are not installed and those checks skip loudly (they fail in CI). --ignore-scripts:
# vnu-jar's install script would download a Java runtime; Debian's Java is used instead.
NPM := $(shell command -v npm 2>/dev/null)
NODE_STAMP := node_modules/.installed
ifneq ($(NPM),)
NODE_DEPS := $(NODE_STAMP)
endif

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

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
	$(BIN)/ruff check generator tests bench offline

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) $(NODE_DEPS)
	$(BIN)/pytest -q

test: lint typecheck unit

# Regenerate the golden output of the fixture site after an intended change.
golden: $(STAMP)
	$(BIN)/python -m tests.regen_golden

# Screenshots of the example site for the README (docs/screenshots/), at phone and desktop widths.
screenshots: $(STAMP)
	$(BIN)/python -m tests.browser.screenshots

# The offline install bundle (offline/bundle.py): dangjian and its dependencies' wheels for CPython 3.11-3.13
# on Windows x64 and Linux x86_64/aarch64, with install scripts and a guide. Needs PyPI or a mirror.
dist: $(STAMP)
	$(BIN)/python offline/bundle.py

clean:
	rm -rf output .dangjian-cache
