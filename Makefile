# Omnishop: `make run` starts the assistant on the demo catalog, `make test` runs the tests.
# CATALOG=path/to/feed runs it on another catalog (any format `catalog_index` reads).
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP_PY   := .venv/app/bin/python
RASA     := PYTHONPATH=$(CURDIR) .venv/rasa/bin/rasa
CATALOG  ?= data/demo_catalog/merchant_feed.tsv
MODEL    := models/omnishop.tar.gz
TRAINING_INPUTS := config.yml $(shell find bot/domain bot/data nlu -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)
export CATALOG := $(abspath $(CATALOG))
export HF_HUB_OFFLINE := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: help run test venvs index train validate e2e unit

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

venvs: ## create .venv/rasa (3.10) and .venv/app (3.11) with pinned requirements
	@bash scripts/bootstrap.sh

index: venvs ## build the catalog index (skipped when catalog and model are unchanged)
	@$(APP_PY) -m catalog_index build --catalog "$(CATALOG)"

$(MODEL): $(TRAINING_INPUTS) | venvs index  # the intent features read the index vocabulary
	@echo "==> training the Rasa model (inputs changed)"
	@time $(RASA) train --config config.yml --domain bot/domain --data bot/data --out models --fixed-model-name omnishop

train: $(MODEL) ## train the Rasa model only when its inputs changed

run: venvs index train ## install, build, train and start all three services
	@$(APP_PY) -m runtime.supervisor

validate: venvs ## rasa data validate
	@$(RASA) data validate --config config.yml --domain bot/domain --data bot/data --fail-on-warnings

test: venvs index train validate ## install and run every test (unit, Rasa stories, end to end)
	@bash scripts/run_tests.sh
