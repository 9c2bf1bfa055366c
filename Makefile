# banshi — the two commands: `make run` and `make test`. Everything else they need, they install.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := app
# Where `make run` serves: `make run PORT=8080`, `make run HOST=0.0.0.0` (command-line variables;
# the environment's HOST, which some shells set to the machine's name, is not read).
HOST = 127.0.0.1
PORT = 5000

.PHONY: run test install browser-deps translations extract-messages update-messages compile-messages db-upgrade demo clean bench

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

compile-messages: $(STAMP)
	$(BIN)/pybabel compile --statistics -d translations -f 2>&1 | grep -v "^compiling" || true
	@test -f translations/zh/LC_MESSAGES/messages.mo && test -f translations/en/LC_MESSAGES/messages.mo

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -o translations/messages.pot --no-location --sort-output --project=banshi .

update-messages: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

db-upgrade: install compile-messages
	$(BIN)/flask db upgrade

demo: db-upgrade
	$(BIN)/flask demo

run: demo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Debian's Chromium and CJK fonts for the browser tests (never a downloaded browser build).
browser-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null); \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi; fi
	@command -v chromium >/dev/null

test: install compile-messages browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) instance .pytest_cache
