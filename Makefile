# Kollegium: `make run` serves the app, `make test` runs the whole suite.
# Both create the environment first (a virtualenv in .venv, or VENV=…), installing exactly
# the locked packages: requirements.lock to serve, requirements-dev.lock to test as well.

VENV ?= .venv
PYTHON ?= python3
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= 2
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# `make lock` resolves the same way on every machine: one Python, every platform's wheels.
LOCK := $(BIN)/uv pip compile --universal --python-version 3.11 --generate-hashes --quiet

.PHONY: env dev-env run test lint format translations lock licences dist clean-env assets

# The editor's bundle: npm packages pinned in package-lock.json, built by esbuild.
ASSETS := static/dist/editor.js

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(BIN)/.runtime: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(BIN)/.dev: requirements-dev.lock $(BIN)/.runtime
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# What serving needs: the runtime packages, the compiled catalogues and the editor's bundle.
env: $(BIN)/.runtime $(ASSETS)
	$(FLASK) i18n compile > /dev/null

# What testing adds: pytest, Playwright, ruff and the other tools.
dev-env: env $(BIN)/.dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS): node_modules/.installed assets/build.mjs $(wildcard assets/editor/*.js assets/editor/*.css)
	node assets/build.mjs

assets: $(ASSETS)

run: env
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Kollegium runs at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@# Absolute links (feeds, e-mails) use this address, never the request's Host header.
	KOLLEGIUM_PUBLIC_URL=$${KOLLEGIUM_PUBLIC_URL:-http://$(HOST):$(PORT)} \
		$(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) wsgi:app

test: dev-env lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: dev-env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev-env
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations: env
	$(FLASK) i18n update
	$(FLASK) i18n compile > /dev/null

# After changing requirements.txt or requirements-dev.txt: pin every package anew, with hashes.
# `make lock UPGRADE=--upgrade` also moves every package to its newest allowed release.
lock: dev-env
	$(LOCK) $(UPGRADE) requirements.txt -o requirements.lock
	$(LOCK) $(UPGRADE) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

# docs/licences.md: the licence of every shipped package; fails on one not known to fit.
licences: dev-env
	$(BIN)/python docs/licences.py

# The wheel (static files, migrations and compiled catalogues inside) and its SBOM, in dist/.
dist: dev-env
	$(BIN)/python -m build --wheel --outdir dist .
	$(BIN)/cyclonedx-py requirements requirements.lock --output-reproducible --of JSON -o dist/kollegium-sbom.cdx.json

clean-env:
	rm -rf $(VENV)
