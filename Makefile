# sigverify: one command runs every suite that exists.  `make test`
SHELL := /bin/bash
CARGO ?= cargo
# The shared corpus when it sits beside the repo (CI, dev machines); our copy otherwise.
CONFORMANCE := $(firstword $(wildcard ../shared/vectors/run-conformance) test-vectors/run-conformance)
RELEASE_CLI := target/release/sigverify
RUSTCRYPTO_CLI := target/debug/sigverify-rustcrypto

.PHONY: test lint rust-test build conformance conformance-rustcrypto own-vectors system-deps clean

test: system-deps lint rust-test conformance conformance-rustcrypto own-vectors ffi-test python-test python-memcheck node-test node-memcheck bench-smoke fuzz-smoke
	@echo "make test: all suites passed"

# Debian tools the C suite needs; present on this machine kind, installed if a fresh one lacks them.
system-deps:
	@missing=""; for t in pkg-config:pkg-config valgrind:valgrind readelf:binutils; do \
		command -v $${t%%:*} >/dev/null || missing="$$missing $${t#*:}"; done; \
	if [ -n "$$missing" ]; then echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# The pure-Rust backend runs the unit, corpus, API and limit tests; the
# mutation campaign exercises the parser and checks, not the backend, so it
# runs once, on the default backend.
rust-test:
	$(CARGO) test --workspace
	$(CARGO) test -p sigverify --no-default-features --features rustcrypto --lib --test corpus --test api --test limits

build:
	$(CARGO) build --release -p sigverify-cli

# The pure-Rust backend's CLI in the dev profile: its dependencies were built
# by rust-test's rustcrypto run, so this is one crate and a link, not a second
# optimised build of the whole tree. Copied aside: the next default build reuses the name.
$(RUSTCRYPTO_CLI): FORCE
	$(CARGO) build -p sigverify-cli --no-default-features --features rustcrypto
	cp target/debug/sigverify $@

conformance: build
	python3 $(CONFORMANCE) $(RELEASE_CLI)
	python3 $(CONFORMANCE) --embedded-root $(RELEASE_CLI)

conformance-rustcrypto: $(RUSTCRYPTO_CLI)
	python3 $(CONFORMANCE) $(RUSTCRYPTO_CLI)

own-vectors: build
	python3 $(CONFORMANCE) --manifest test-vectors/ours/manifest.json $(RELEASE_CLI)

clean:
	$(CARGO) clean

FORCE:

include mk/ffi.mk
include mk/python.mk
include mk/node.mk
include mk/bench.mk
include mk/fuzz.mk
