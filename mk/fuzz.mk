# mk/fuzz.mk: libFuzzer targets of the core crate (fuzz/, cargo-fuzz on a
# nightly toolchain, AddressSanitizer, debug assertions and overflow checks).
# Included by the root Makefile, which defines SHELL (bash), CARGO and TARGET_DIR.
#
#   make fuzz               every target for FUZZ_SECONDS (default 60) each
#   make fuzz-smoke         every target for FUZZ_SMOKE_SECONDS (default 30) each
#   make fuzz-seeds         rewrite the seed corpora from the test vectors
#   make fuzz-build         build the targets only
#
# Each run starts from fuzz/corpus/<target> (seeded from test-vectors, then
# grown by earlier runs) and stops at the first crash, which libFuzzer saves
# under fuzz/artifacts/<target>/; reproduce it with
#   $(CARGO_FUZZ) fuzz run <target> fuzz/artifacts/<target>/<file>
# and add it as a regression test before fixing it (see SECURITY.md).

CARGO ?= cargo
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_TOOLCHAIN ?= nightly
# Extra libFuzzer flags, e.g. FUZZ_FLAGS=-jobs=2
FUZZ_FLAGS ?=
FUZZ_TARGETS := bundle_parse trusted_root_parse certificate_der sct_list rfc3161_der checkpoint_parse verify_bundle
CARGO_FUZZ_VERSION := 0.13.2
CARGO_FUZZ_ROOT := $(abspath $(TARGET_DIR)/tools)
CARGO_FUZZ := $(CARGO_FUZZ_ROOT)/bin/cargo-fuzz
# cargo-fuzz drives cargo itself; the fuzz crate needs nightly (-Zsanitizer).
FUZZ_CMD = RUSTUP_TOOLCHAIN=$(FUZZ_TOOLCHAIN) $(CARGO_FUZZ) fuzz

.PHONY: fuzz fuzz-smoke fuzz-seeds fuzz-build fuzz-tool

# A debug build of the tool: it only drives cargo, and compiles in half the time.
fuzz-tool:
	@$(CARGO_FUZZ) --version 2>/dev/null | grep -qx 'cargo-fuzz $(CARGO_FUZZ_VERSION)' \
		|| $(CARGO) install cargo-fuzz --locked --debug --version $(CARGO_FUZZ_VERSION) --root $(CARGO_FUZZ_ROOT)

fuzz-seeds:
	python3 fuzz/seed_corpus.py fuzz/corpus

fuzz-build: fuzz-tool
	$(FUZZ_CMD) build

# $(1): seconds per target. FUZZ_PARALLEL targets run at once (one core
# each; default: the number of cores); every target runs even if one
# crashes, then the run fails naming each that did.
FUZZ_PARALLEL ?= $(shell nproc 2>/dev/null || echo 1)
define fuzz_all
	@printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_PARALLEL) -I{} sh -c '\
		$(FUZZ_CMD) run {} fuzz/corpus/{} -- -max_total_time=$(1) -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 $(FUZZ_FLAGS) > fuzz/artifacts/{}.log 2>&1; \
		rc=$$?; echo "fuzz: {} ran $(1) s: $$(grep -E "^stat::number_of_executed_units" fuzz/artifacts/{}.log | tr -s " " | cut -d" " -f2) runs, exit $$rc"; \
		if [ $$rc -ne 0 ]; then grep -E "^(==[0-9]+==|SUMMARY|thread .* panicked)" fuzz/artifacts/{}.log | head -20; \
			echo "fuzz: {} failed; see fuzz/artifacts/{}.log" >&2; exit 1; fi' \
		|| { echo "fuzz: a target failed (see above)" >&2; exit 1; }
	@echo "fuzz: every target ran $(1) s without a crash"
endef

fuzz: fuzz-build fuzz-seeds
	@mkdir -p fuzz/artifacts
	$(call fuzz_all,$(FUZZ_SECONDS))

fuzz-smoke: fuzz-build fuzz-seeds
	@mkdir -p fuzz/artifacts
	$(call fuzz_all,$(FUZZ_SMOKE_SECONDS))
