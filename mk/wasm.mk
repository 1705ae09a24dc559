# mk/wasm.mk: the core in WebAssembly, on the pure-Rust backend. Included by
# the root Makefile, which defines SHELL (bash), CARGO, CONFORMANCE and TARGET_DIR.
#
#   make wasm-test   build the CLI for wasm32-wasip1 (`--features rustcrypto`),
#                    run it under Node's WASI (sigverify-cli/wasi/run.mjs)
#                    through the conformance corpus and our own vectors, and
#                    type-check the core for wasm32-unknown-unknown (JavaScript
#                    hosts: `--features rustcrypto,wasm-js`).
#
# The Rust targets come from rustup, not a package registry: when they are
# missing and one `rustup target add` (bounded at two minutes) cannot fetch
# them, or the wasm-only crates cannot be fetched, the step says SKIPPED
# (it does not pass silently as if it had run).

WASM_TARGETS := wasm32-wasip1 wasm32-unknown-unknown
WASM_CLI := $(TARGET_DIR)/wasm32-wasip1/release/sigverify.wasm
WASM_RUNNER := $(TARGET_DIR)/wasm/sigverify-wasm

.PHONY: wasm-test

wasm-test:
	@missing=""; for t in $(WASM_TARGETS); do \
		rustup target list --installed 2>/dev/null | grep -qx "$$t" || missing="$$missing $$t"; \
	done; \
	if [ -n "$$missing" ] && ! timeout 120 rustup target add $$missing >/dev/null 2>&1; then \
		echo "wasm-test: SKIPPED, Rust target(s)$$missing not installed and not installable here"; exit 0; fi; \
	command -v node >/dev/null || { echo "wasm-test: SKIPPED, no node to run WASI"; exit 0; }; \
	for t in $(WASM_TARGETS); do \
		$(CARGO) fetch --target $$t >/dev/null 2>&1 \
			|| { echo "wasm-test: SKIPPED, the crates for $$t cannot be fetched"; exit 0; }; \
	done; \
	set -e; \
	$(CARGO) check -p sigverify --no-default-features --features rustcrypto,wasm-js --target wasm32-unknown-unknown; \
	$(CARGO) build --release -p sigverify-cli --no-default-features --features rustcrypto --target wasm32-wasip1; \
	mkdir -p $(dir $(WASM_RUNNER)); \
	printf '#!/bin/sh\nexec node --no-warnings %s %s "$$@"\n' \
		"$(abspath sigverify-cli/wasi/run.mjs)" "$(abspath $(WASM_CLI))" > $(WASM_RUNNER); \
	chmod +x $(WASM_RUNNER); \
	python3 $(CONFORMANCE) $(WASM_RUNNER); \
	python3 $(CONFORMANCE) --manifest test-vectors/ours/manifest.json $(WASM_RUNNER); \
	echo "wasm-test: conformance and own vectors passed in WebAssembly (wasm32-wasip1, rustcrypto)"
