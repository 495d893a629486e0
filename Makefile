# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.geomap-installed
SAMPLE := data/samples/us-boosting-iraq-base.txt
CORPORA ?= ../shared/eval/lgl.jsonl ../shared/eval/gwn.jsonl

.PHONY: install demo test test-fast test-min eval bench gazetteer models screenshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/geomap map $(SAMPLE) -o outputs/map.html --events outputs/events.geojson

test: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m pytest

# Everything but the browser tests and those marked slow (worker processes, clusters, kills),
# one pytest worker per core: under a minute on two cores once the gazetteer is built. Each test
# file runs whole on one worker (--dist loadscope), so a file's shared fixtures are made once,
# not once per worker.
test-fast: install
	$(BIN)/python -m pytest -m "not browser and not slow" -n auto --dist loadscope

# The tests against the lowest versions pyproject.toml allows (every ">=X" pinned to "==X"), in a
# venv of their own. Each lower bound must be a published release for this to install.
VENV_MIN := .venv-min
test-min: pyproject.toml
	$(PYTHON) -m venv $(VENV_MIN)
	$(VENV_MIN)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_MIN)/bin/python -c "import re, tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	reqs = p['dependencies'] + [r for extra in p['optional-dependencies'].values() for r in extra]; \
	print('\n'.join(re.sub(r'\[[^]]*\]', '', re.sub(r'\s*>=\s*([^,;\s]+).*', r'==\1', r)) for r in reqs if '>=' in r))" \
	> $(VENV_MIN)/constraints-min.txt
	$(VENV_MIN)/bin/python -m pip install --quiet -c $(VENV_MIN)/constraints-min.txt -e '.[test]'
	$(VENV_MIN)/bin/python -m pip check
	$(VENV_MIN)/bin/python -m pytest

# Full accuracy run on the gold corpora (pass CORPORA=... for other files).
eval: install
	$(BIN)/geomap eval $(CORPORA) --split test --json outputs/eval.json

bench: install
	$(BIN)/python benchmarks/bench_geoparse.py
	$(BIN)/python benchmarks/bench_events.py
	$(BIN)/python benchmarks/bench_map.py
	$(BIN)/python benchmarks/bench_spatial.py
	$(BIN)/python benchmarks/bench_scale.py --skip-memory

# Refresh docs/map.png (the README image) and docs/map-compact.png from the sample article, through the browser tests.
screenshot: install
	GEOMAP_UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest -q tests/browser -k screenshot_for_docs

gazetteer: install
	$(BIN)/geomap gazetteer build --force

# Every fitted artefact, rebuilt from the code and the gold corpora alone (not from the weights
# checked in); each records how it was made (commit, gazetteer, spaCy model, corpus hashes,
# command) under "provenance". Fitted on the dev halves, so `make eval` (test halves) stays fair.
MODEL_CORPORA ?= ../shared/eval/lgl.jsonl ../shared/eval/gwn.jsonl ../shared/eval/geocorpora.jsonl \
	../shared/eval/hu2014.jsonl ../shared/eval/ju2016.jsonl
models: install
	@# 1. The recognizer (issue 21.1). Its names feed the ranker's training lists, so it comes first.
	$(BIN)/python -m geomap.nlp.train_recognizer $(MODEL_CORPORA) --split dev -o geomap/nlp/recognizer.json
	@# 2. The ranker and the confidence model (geomap/nlp/ranker.json).
	$(BIN)/python -m geomap.resolve.training $(MODEL_CORPORA) --split dev --passes 2 \
		--gold-spans-only hu2014 ju2016 --out geomap/nlp/ranker.json

clean:
	rm -rf $(VENV) $(VENV_MIN) build *.egg-info outputs/*.html outputs/*.geojson
