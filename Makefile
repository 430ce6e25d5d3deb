# Kollegium: `make run` serves the app, `make test` runs the whole suite.
# Both create the environment first (a virtualenv in .venv, or VENV=…).

VENV ?= .venv
PYTHON ?= python3
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= 2
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: env run test lint format translations clean-env

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

env: $(BIN)/.installed
	$(FLASK) i18n compile > /dev/null

run: env
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Kollegium runs at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@# Absolute links (feeds, e-mails) use this address, never the request's Host header.
	KOLLEGIUM_PUBLIC_URL=$${KOLLEGIUM_PUBLIC_URL:-http://$(HOST):$(PORT)} \
		$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - \
		--logger-class app.accesslog.RedactingLogger wsgi:app

test: env lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations: env
	$(FLASK) i18n update
	$(FLASK) i18n compile > /dev/null
