# Loan Center. `make run` starts the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint stack messages fonts clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"' \
		|| { echo "Loan Center needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

# Compile the translation catalogues (the .mo files are build output, not kept in git).
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install GNU gettext (Debian: apt-get install gettext)."; exit 1; }
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v0

# A CJK font, so Chinese renders in PDFs and the browser tests.
fonts:
	@if fc-list :lang=zh 2>/dev/null | grep -q .; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing a CJK font (fonts-noto-cjk)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	else \
		echo "No Chinese font found. Install one for PDFs: Debian/Ubuntu 'sudo apt-get install fonts-noto-cjk'," \
		     "Fedora 'sudo dnf install google-noto-sans-cjk-fonts', macOS has one already."; \
	fi

run: install fonts
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# The production shape without Docker: gunicorn, a Celery worker and beat, against
# DATABASE_URL and REDIS_URL (both required).
stack: install
	@test -n "$$DATABASE_URL" || { echo "make stack needs DATABASE_URL (postgres://...)"; exit 1; }
	@test -n "$$REDIS_URL" || { echo "make stack needs REDIS_URL (redis://...)"; exit 1; }
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v0
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

# Benchmarks on PostgreSQL (issue 10): portfolios of 10k, 100k and 1M accounts in databases named
# after BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lc_bench), the sizes above
# BENCH_MAX_ACCOUNTS skipped; prints BENCH lines and writes benchmarks/results.md.
BENCH_MAX_ACCOUNTS ?= 1000000
bench: install
	BENCH_MAX_ACCOUNTS="$(BENCH_MAX_ACCOUNTS)" $(BIN)/python -m tests.perf.bench

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
