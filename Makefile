# Tỉnh Số — two commands do all set-up:
#   make run    the platform with demo data on embedded defaults, at http://127.0.0.1:8000
#   make test   everything CI checks (lint, types, migrations, API schema, tests on SQLite and PostgreSQL)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
-include .env
export

.PHONY: run test lint messages schema bench deploy-check clean

$(VENV)/.run-installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

run: $(VENV)/.run-installed
	scripts/system-packages run
	scripts/secret-key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@broker=$$($(BIN)/python manage.py mqtt_url) && set -- $$broker && \
	echo "" && \
	echo "  Tỉnh Số: http://127.0.0.1:8000   (API: http://127.0.0.1:8000/api/docs/)" && \
	echo "  MQTT:    $${1#MQTT_URL=}$$( [ "$$2" = MQTT_EMBEDDED=true ] && echo '  (máy chủ nhúng / embedded broker)')" && \
	echo "  Xác thực hai bước tắt cho bản demo / two-step verification off for the demo (TWO_FACTOR_REQUIRED=true to try it)" && \
	echo "" && \
	exec env $$broker SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} SECURE_COOKIES=$${SECURE_COOKIES:-false} \
	  TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-false} \
	  $(BIN)/honcho --procfile Procfile.dev start

test: $(VENV)/.test-installed
	scripts/system-packages test
	scripts/secret-key
	scripts/test

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: $(VENV)/.test-installed
	scripts/secret-key
	scripts/messages

schema: $(VENV)/.test-installed
	scripts/secret-key
	$(BIN)/python manage.py spectacular --file docs/api/openapi.yaml --validate

bench: $(VENV)/.test-installed
	scripts/secret-key
	$(BIN)/python -m bench

deploy-check: $(VENV)/.test-installed
	scripts/system-packages test
	$(BIN)/python scripts/deploy_check.py

clean:
	rm -rf $(VENV) var
