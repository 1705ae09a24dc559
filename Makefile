# sigverify: one command runs every suite that exists.  `make test`
SHELL := /bin/bash
CARGO ?= cargo
# The shared corpus when it sits beside the repo (CI, dev machines); our copy otherwise.
CONFORMANCE := $(firstword $(wildcard ../shared/vectors/run-conformance) test-vectors/run-conformance)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
# Every release build (CLI, C library, Python wheel, Node addon) names the host
# triple, because `napi build` always does and cargo keeps a separate tree per
# --target: without it the addon was a second release build of everything,
# aws-lc's C code included. Release artifacts are under target/<host>/release.
HOST_TRIPLE := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
CARGO_RELEASE_TARGET := --release --target $(HOST_TRIPLE)
RELEASE_DIR := $(TARGET_DIR)/$(HOST_TRIPLE)/release
RELEASE_CLI := $(RELEASE_DIR)/sigverify
RUSTCRYPTO_CLI := $(TARGET_DIR)/debug/sigverify-rustcrypto

.PHONY: test lint rust-test build conformance conformance-rustcrypto own-vectors system-deps clean

test: system-deps lint rust-test conformance conformance-rustcrypto own-vectors wasm-test ffi-test python-test python-memcheck node-test node-memcheck bench-smoke fuzz-smoke
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

# The pure-Rust backend runs the unit, corpus, API, limit and CLI tests; the
# mutation campaign exercises the parser and checks, not the backend, so it
# runs once, on the default backend. The CLI's tests come along so that the
# same cargo run builds the rustcrypto CLI for conformance-rustcrypto: a
# separate `cargo build` of it resolves features without the dev-dependencies
# and rebuilt 26 crates (94 s).
RUSTCRYPTO_TEST := $(CARGO) test -p sigverify -p sigverify-cli --no-default-features --features rustcrypto \
	--lib --test corpus --test api --test limits --test cli
rust-test:
	$(CARGO) test --workspace
	$(RUSTCRYPTO_TEST)

# On x86_64 Linux with glibc the release CLI is linked statically as a static
# PIE (ASLR kept): a cold `sigverify verify` then skips the dynamic loader and
# its relocation of libc, starts ~20% faster and needs no particular glibc at
# run time (benches/README.md, "Cold start"). Only the binary gets the flag, so
# no dependency is rebuilt for it. Other hosts (rustc offers static PIE on few
# glibc targets) keep the default dynamic link. Then check what was built: no
# interpreter (static) and type DYN (position independent).
ifeq ($(HOST_TRIPLE),x86_64-unknown-linux-gnu)
CLI_LINK_FLAGS := -C target-feature=+crt-static
endif
build:
	$(CARGO) rustc $(CARGO_RELEASE_TARGET) -p sigverify-cli --bin sigverify -- $(CLI_LINK_FLAGS)
ifneq ($(CLI_LINK_FLAGS),)
	@command -v readelf >/dev/null || { echo "build: readelf is needed to check the CLI's linking" >&2; exit 1; }
	@! readelf -lW $(RELEASE_CLI) | grep -q 'INTERP' || { echo "build: $(RELEASE_CLI) is not static" >&2; exit 1; }
	@readelf -hW $(RELEASE_CLI) | grep -q 'Type:.*DYN' || { echo "build: $(RELEASE_CLI) is not position independent" >&2; exit 1; }
endif

# The pure-Rust backend's CLI in the dev profile, as rust-test's rustcrypto run
# built it (cargo finds it fresh and puts it back in place). Copied aside: the
# next default build reuses the name.
$(RUSTCRYPTO_CLI): FORCE
	$(RUSTCRYPTO_TEST) --no-run
	cp $(TARGET_DIR)/debug/sigverify $@

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
include mk/wasm.mk
