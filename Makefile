# Two commands for a newcomer: `make run` and `make test`. Everything installs into ./.venv.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test fuzz lint format bench clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

# Bytecode compiled once here: where the environment forbids writing it (PYTHONDONTWRITEBYTECODE),
# every command would compile again every module it imports (2.5 s of CPU a command).
install: $(UV)
	$(UV) sync --locked --quiet --compile-bytecode --python $(PYTHON)
	$(BIN)/python -m compileall -q src
	$(BIN)/amicable compile-translations -v0

run: install
	$(BIN)/amicable migrate --noinput
	$(BIN)/amicable demo --base-url http://$(HOST):$(PORT)
	$(BIN)/amicable runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# The fuzzing at length (tests marked slow, which make test leaves out): 10,000 inputs for each
# statement format and for the sheet importer, about three minutes on two cores.
fuzz: install
	$(BIN)/pytest -n auto -m slow $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .venv .uv var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
