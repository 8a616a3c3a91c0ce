# orgbatch: the two commands a user needs are `make demo` and `make test`.
SWIFT  ?= swift
PYTHON ?= python3
export PYTHON

.PHONY: help deps build release test demo bench clean

help:
	@echo "make demo     install what is missing, build, run orgbatch against a local AWS"
	@echo "make test     install what is missing, build, run every test"
	@echo "make release  build the optimised binary (.build/release/orgbatch)"
	@echo "make bench    the benchmark: orgbatch against boto3 and the aws CLI (BENCHMARKS.md)"

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# Unit and integration tests (the integration suites start the local AWS themselves, with
# signature checking on, and stop it when they end), then the local AWS's own self-check.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(PYTHON) tools/localaws/selftest.py

demo:
	@NEED_JQ=1 scripts/install-deps.sh
	$(SWIFT) build -c release --static-swift-stdlib
	@scripts/demo.sh .build/release/orgbatch

# The benchmark (not part of make test): about 15 minutes; writes bench/results.md.
bench:
	@NEED_BENCH_TOOLS=1 scripts/install-deps.sh
	$(SWIFT) build -c release --static-swift-stdlib
	$(PYTHON) bench/bench.py $(BENCH_ARGS)

clean:
	rm -rf .build
