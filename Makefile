# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= more-than-migrants
PYTEST_WORKERS ?= auto
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app
export INSTANCE_PATH ?= $(CURDIR)/instance
SOURCES := app.py accounts campaign competition core demo judging retention templates

.PHONY: run worker lint-imports test test-slow test-postgres test-browser install compile-translations translations bench audit clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/.installed

compile-translations: install
	$(BIN)/pybabel compile -d translations --statistics

# A development server on this computer: links in mails go to http://127.0.0.1:$(PORT) (see README, APP_ENV).
run: export APP_ENV ?= development
run: compile-translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --password "$(DEMO_PASSWORD)" --if-empty --url "http://$(HOST):$(PORT)"
	@echo
	@echo "Serving on http://$(HOST):$(PORT) (another port: make run PORT=NNNN)"
	@echo "Demo logins (password: $(DEMO_PASSWORD)): secretariat@example.org, teacher@example.org,"
	@echo "  teacher2@example.org, coordinator@example.org, juror@example.org, juror2@example.org,"
	@echo "  juror.coordinator@example.org (juror and coordinator)"
	@echo "A queue worker runs beside the server (mail, exports, image copies, rankings); Ctrl-C stops both."
	@echo
	@$(BIN)/huey_consumer core.worker.huey --workers 2 --worker-type thread --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' INT TERM EXIT; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Only the queue worker, for a second terminal or a server (see docs/deployment.md).
worker: install
	$(BIN)/huey_consumer core.worker.huey --workers 2 --worker-type thread

# The quick suite: everything but the browser journeys, the slow reliability tests and the tests against a
# real S3 server (SeaweedFS); .ci/run runs those, the last two in its PostgreSQL step.
test: compile-translations
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not slow and not s3" $(PYTEST_ARGS)

# The slow reliability tests alone (crash safety, real worker processes); test-postgres runs them too.
test-slow: compile-translations
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "slow and not browser" $(PYTEST_ARGS)

# The whole suite but the browser, slow tests included, on PostgreSQL (a fresh database each run);
# needs a server on 127.0.0.1:5432. The pure algorithms, the upload cleaning and the name matcher use no
# database, and the demo crawls read rendered pages for names and French words: make test has run them, so
# they are not run again here (CI under 30 minutes).
test-postgres: compile-translations
	$(BIN)/python tests/pg_database.py run -- $(BIN)/pytest -n $(PYTEST_WORKERS) --ignore=tests/browser \
		--ignore=tests/judging_algorithms --ignore=tests/uploads --ignore=tests/blindness \
		--ignore=tests/test_french_everywhere.py --ignore=tests/judging/test_identity_leak_demo.py \
		--ignore=tests/judging/test_identity_leak_files.py $(PYTEST_ARGS)

test-browser: compile-translations
	REQUIRE_BROWSER=1 $(BIN)/pytest -n $(PYTEST_WORKERS) tests/browser $(PYTEST_ARGS)

# The layering contracts of pyproject.toml (docs/architecture.md), imports inside functions included.
lint-imports: install
	PYTHONPATH=. $(BIN)/lint-imports

# Extract every string into messages.pot and merge it into the catalogues.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k pgettext:1c,2 --no-location --sort-output -o translations/messages.pot $(SOURCES)
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

# Installed distributions against the offline PyPA advisory copy (default ../shared/advisories; ADVISORIES=PATH).
audit: install
	$(BIN)/python tools/audit_dependencies.py $(if $(ADVISORIES),--advisories $(ADVISORIES))

bench: install
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
