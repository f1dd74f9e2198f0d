.PHONY: run test lint typecheck security format messages

# Set everything up and serve the demo portal on http://127.0.0.1:8000 (SQLite, tasks in-process).
run:
	bash scripts/run.sh

# Set everything up and run the whole test suite (PostgreSQL, Redis, Chromium when present).
test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# mypy with django-stubs over every app's services and selectors (pyproject.toml [tool.mypy]).
typecheck:
	.venv/bin/mypy

# bandit over the project's code ([tool.bandit] in pyproject.toml).
security:
	.venv/bin/bandit -q -c pyproject.toml -r .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

# Refresh every .po file after changing interface text (then translate the new entries).
messages:
	bash scripts/makemessages.sh
