# Vietnamese legal-aid assistant — one entry point.
#   make run    set everything up (envs, Rasa model, knowledge index) and start the system on :8000
#   make test   set everything up and run every check (lint, rasa data validate, pytest in both envs)
SHELL := /bin/bash
.DEFAULT_GOAL := help
BOT_PY := .venv-bot/bin/python
API_PY := .venv/bin/python
RUN := source scripts/common.sh &&

PROD := source scripts/common.sh && source scripts/production_env.sh &&

.PHONY: help setup envs model index fonts run run-prod services browser test-pages test-stories test lint validate test-api test-bot test-e2e test-e2e-prod faults nlu-report clean

help:
	@echo "make run     — cài đặt và chạy toàn bộ hệ thống / set up and run everything (http://localhost:8000)"
	@echo "make test    — cài đặt và chạy toàn bộ kiểm thử / set up and run all tests"
	@echo "make setup   — chỉ cài môi trường, mô hình, chỉ mục / only set up"
	@echo "make run-prod — chế độ sản xuất: PostgreSQL, Redis, 2 bản Rasa / production profile"
	@echo "make faults  — kiểm thử sự cố (tắt Rasa, PostgreSQL, action server, Zalo lỗi) / fault tests"
	@echo "make nlu-report — đánh giá chéo NLU 5 phần / 5-fold NLU cross-validation"

envs:
	@bash scripts/setup_envs.sh

model: envs
	@bash scripts/train_if_changed.sh

index: envs
	@$(RUN) $(API_PY) -m knowledge build

# A font that renders Vietnamese for the case PDFs (api/documents/fonts.py).
fonts:
	@bash scripts/install_fonts.sh

setup: envs model index fonts

run: setup
	@$(RUN) .venv/bin/honcho start -f Procfile

services:
	@bash scripts/ensure_services.sh

# Production profile: PostgreSQL tracker store, Redis lock store, two Rasa replicas, cases on PostgreSQL.
run-prod: setup services
	@$(PROD) .venv/bin/honcho start -f Procfile.production

lint: envs
	@$(RUN) .venv/bin/ruff check .

validate: envs
	@$(RUN) .venv-bot/bin/rasa data validate --domain domain.yml --data bot/data --config config.yml --fail-on-warnings

test-api: envs fonts
	@$(RUN) $(API_PY) -m pytest tests/api tests/cases tests/zalo tests/security tests/knowledge tests/rules -q

test-bot: model
	@$(RUN) $(BOT_PY) -m pytest tests/bot tests/actions tests/rules -q

browser:
	@bash scripts/install_browser.sh

test-pages: envs browser
	@$(RUN) $(API_PY) -m pytest tests/pages tests/assist -q

# Conversation tests: every story in tests/stories must be predicted exactly.
test-stories: model
	@$(RUN) .venv-bot/bin/rasa test core --model models/assistant.tar.gz --stories tests/stories \
	  --endpoints endpoints.yml --fail-on-prediction-errors --out results/stories

test-e2e: setup browser
	@$(RUN) $(API_PY) -m pytest tests/e2e -q

# The same end-to-end tests against the production profile (PostgreSQL, Redis, two Rasa replicas).
test-e2e-prod: setup services browser
	@$(RUN) E2E_PROFILE=production $(API_PY) -m pytest tests/e2e -q

# Fault tests on the production profile: a Rasa replica killed under load, PostgreSQL restarted
# during an intake, the action server down, the Zalo API answering 500 for a while.
faults: setup services
	@$(RUN) $(API_PY) -m pytest tests/faults -q

test: lint validate test-bot test-api test-pages test-stories test-e2e test-e2e-prod faults
	@echo "✓ Tất cả kiểm thử đã qua / all checks passed"

nlu-report: envs
	@$(RUN) bash bench/nlu_cv.sh

# Zalo channel load benchmark (not part of `make test`): 50 citizens, results in bench/results/load-*.
.PHONY: load-bench
load-bench: setup
	@$(RUN) $(API_PY) bench/load.py

clean:
	rm -rf models data/knowledge .pytest_cache
