# The two commands of the README: `make demo` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test setup setup-test setup-prod lint lock ci

setup:
	@bin/bootstrap requirements-dev.lock

# The tests also drive Debian's chromium (browser tests): only they install it.
setup-test:
	@PORTAL_BOOTSTRAP_BROWSER=1 bin/bootstrap requirements-dev.lock

setup-prod:
	@bin/bootstrap requirements.lock

demo: setup
	@bin/demo

test: setup-test
	@DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(VENV)/bin/pytest $(PYTEST_ARGS)

# The style and the import contracts of ARCHITECTURE.md ([tool.importlinter] in pyproject.toml).
lint: setup
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/lint-imports --no-logo

# Re-pin after changing pyproject.toml dependencies.
lock: setup
	@$(VENV)/bin/python -m pip install -q pip-tools
	@$(VENV)/bin/pip-compile -q --no-emit-find-links --no-emit-index-url --generate-hashes --strip-extras -o requirements.lock pyproject.toml
	@$(VENV)/bin/pip-compile -q --no-emit-find-links --no-emit-index-url --generate-hashes --strip-extras --extra dev -o requirements-dev.lock pyproject.toml

ci:
	@bash .ci/run
