# The two set-up commands of the README:
#   make site   install the generator and build the site into _site/ (make serve to preview)
#   make test   install everything the tests need, then run every test
PYTHON ?= python3

.PHONY: site serve test test-fast test-site test-env lint screenshots bench

site:
	$(PYTHON) -m pip install -q -e .
	$(PYTHON) build.py build

serve:
	$(PYTHON) -m pip install -q -e .
	$(PYTHON) build.py serve

test-env:
	bash scripts/test-env.sh

test: test-env
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest -n 2 -p no:cacheprovider

# The fast lane: unit tests of each stage, no whole build and no browser (under a minute).
test-fast:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest tests/unit -q -p no:cacheprovider

# This site's own content checks (tests/site/: what site_src says, traced to its facts, said
# once, answer first), apart from the generator's tests; run after editing site_src.
test-site:
	$(PYTHON) -m pytest tests/site -n 2 -p no:cacheprovider

screenshots: test-env
	$(PYTHON) scripts/screenshots.py

bench:
	$(PYTHON) -m pip install -q -e '.[bench]'
	$(PYTHON) bench/compare.py
