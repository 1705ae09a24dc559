# sigverify: one command runs every suite that exists.  `make test`
SHELL := /bin/bash
CARGO ?= cargo
# The shared corpus when it sits beside the repo (CI, dev machines); our copy otherwise.
CONFORMANCE := $(firstword $(wildcard ../shared/vectors/run-conformance) test-vectors/run-conformance)
RELEASE_CLI := target/release/sigverify
RUSTCRYPTO_CLI := target/rustcrypto/release/sigverify

.PHONY: test lint rust-test build conformance conformance-rustcrypto own-vectors clean

test: lint rust-test conformance conformance-rustcrypto own-vectors
	@echo "make test: all suites passed"

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-test:
	$(CARGO) test --workspace
	$(CARGO) test -p sigverify --no-default-features --features rustcrypto

build:
	$(CARGO) build --release -p sigverify-cli

$(RUSTCRYPTO_CLI): FORCE
	$(CARGO) build --release -p sigverify-cli --no-default-features --features rustcrypto --target-dir target/rustcrypto

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
