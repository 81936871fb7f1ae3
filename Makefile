# Two commands for a newcomer: `make run` and `make test`. Only Python 3.11 and make needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test install install-dev lint bench messages clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment. On Debian or Ubuntu: apt install python3-venv"; exit 1; }

# What serves the site (requirements.lock), and what only the tests need on top of it
# (requirements-dev.lock): `make run` installs the first only.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_organizer
	$(BIN)/python manage.py schedule_housekeeping
	@echo "Tadamun is on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)."
	@echo "Without EMAIL_HOST, e-mails are written to files in data/mail/ (erased after 24 h)."
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py worker & worker=$$!; \
	$(BIN)/gunicorn -c gunicorn.conf.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests (tests/browser) need Chromium and axe-core (`npm ci`); without them they
# skip with the reason. They run once, in the first pass: they bring their own database.
test: lint
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	fi
	$(BIN)/pytest
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
		echo "== the suite again, on PostgreSQL (without the browser tests) =="; \
		DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/pytest -m "not browser"; \
	fi

bench: install
	@command -v wrk >/dev/null && command -v nginx >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light; }
	$(BIN)/python benchmarks/bench.py

# After changing user-visible strings: update the catalogue, translate, then compile.
messages: install
	$(BIN)/python manage.py makemessages -l ar -e html,txt,py,svg --no-location --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=tests --ignore=benchmarks \
		--ignore=node_modules --ignore=data
	msgfmt --check -o tadamun/locale/ar/LC_MESSAGES/django.mo tadamun/locale/ar/LC_MESSAGES/django.po
	msgfmt --check -o tadamun/locale/ar/LC_MESSAGES/djangojs.mo tadamun/locale/ar/LC_MESSAGES/djangojs.po

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
