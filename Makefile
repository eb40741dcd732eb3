# make lab        open the course in JupyterLab (creates .venv and installs on first use); EDITION=zh: 中文版
# make test       run the whole test suite (creates .venv and installs on first use; about 8 minutes on 2 cores)
# make check      the author's inner loop, under a minute: ruff, source notebook checks, sync, unit tests
# make notebooks  regenerate notebooks/ and solutions/ from grading/source
# make lint       ruff
# make grade      grade a demo class of example hand-ins and print the summary (python -m grading demo)
# make classroom  a class on a real JupyterHub on this machine, as root (python -m grading classroom; STUDENTS=3)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_ARGS ?=
# Jupyter refuses to run as root without this flag (containers and CI run as root)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
PYTEST_ARGS ?=
# nbgrader runs `alembic` from PATH, so the venv's scripts come first
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install bwrap chromium graphviz hub-proxy lab test check notebooks lint grade classroom

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# the `grading` package goes in editable, so nbgrader_config.py imports it from any folder (see pyproject.toml)
$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Autograding runs student code inside bubblewrap (grading/judging/sandbox.py); install it where it is missing
bwrap:
	@command -v bwrap >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get install -y bubblewrap || (apt-get update && apt-get install -y bubblewrap)); } || \
	  echo "bubblewrap is missing: install it (Debian/Ubuntu: sudo apt-get install bubblewrap); grading refuses to run without it"

# The browser tests (tests/test_lab.py) drive Debian's chromium through Playwright; without it they are skipped
chromium:
	@command -v chromium >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get install -y chromium || (apt-get update && apt-get install -y chromium)); } || \
	  echo "chromium is missing: install it (Debian/Ubuntu: sudo apt-get install chromium); the browser test is skipped without it"

# Notebook 01 draws its graph with torchviz, which needs Graphviz's `dot` program
graphviz:
	@command -v dot >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get install -y graphviz || (apt-get update && apt-get install -y graphviz)); } || \
	  echo "graphviz is missing: install it (Debian/Ubuntu: sudo apt-get install graphviz); notebook 01's graph picture needs it"

# JupyterHub's proxy for make classroom, pinned in grading/hub-proxy/package.json (npm ci: exactly the lock file)
CHP := grading/hub-proxy/node_modules/.bin/configurable-http-proxy
$(CHP): grading/hub-proxy/package.json grading/hub-proxy/package-lock.json
	@command -v npm >/dev/null && npm ci --prefix grading/hub-proxy --no-audit --no-fund && touch $@ || \
	  echo "npm is missing: install Node.js 20 or newer; make classroom (and its test) needs configurable-http-proxy"
hub-proxy: $(CHP)

install: $(STAMP) bwrap chromium graphviz hub-proxy

# postBuild is also what Binder runs: nbgrader's extensions on, the course's JupyterLab settings (no news popup);
# its stamp lives in the venv, so a new venv runs it again
POSTBUILD := $(VENV)/.postbuild
$(POSTBUILD): postBuild lab-settings/overrides.json $(STAMP)
	./postBuild
	touch $@

# make lab EDITION=zh: the Chinese edition (notebooks/zh/) in JupyterLab's Chinese interface (the zh-CN language
# pack, with a settings folder of its own in the venv, so your English settings stay as they are)
EDITION ?= en
ZH_SETTINGS := $(VENV)/lab-settings-zh
lab: $(POSTBUILD) graphviz
ifeq ($(EDITION),zh)
	mkdir -p $(ZH_SETTINGS)/@jupyterlab/translation-extension
	cp lab-settings/zh-CN.jupyterlab-settings $(ZH_SETTINGS)/@jupyterlab/translation-extension/plugin.jupyterlab-settings
	JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/$(ZH_SETTINGS) $(BIN)/jupyter lab --ServerApp.root_dir=notebooks \
	  --LabApp.default_url=/lab/tree/zh $(ROOT_FLAG) $(LAB_ARGS)
else
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)
endif

test: $(STAMP) bwrap chromium graphviz hub-proxy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# everything but the end-to-end tests (pytest -m e2e: real nbgrader runs, kernels, servers)
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not e2e" tests $(PYTEST_ARGS)

grade: $(STAMP) bwrap
	$(BIN)/python -m grading demo

STUDENTS ?= 3
classroom: $(STAMP) bwrap hub-proxy
	$(BIN)/python -m grading classroom --students $(STUDENTS)

notebooks: $(STAMP) graphviz
	$(BIN)/python -m grading generate

lint: $(STAMP)
	$(BIN)/ruff check .
