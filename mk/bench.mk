# Benchmarks (issue 6). Not part of `make test` except bench-smoke.
#   make bench        full criterion run of the core (a few minutes), then the
#                     summary table (median, min, verify/floor ratios)
#   make bench-smoke  every bench once, as a test (test profile; seconds after rust-test)
#   make bench-compare  the peer comparison (installs peers into a scratch folder; minutes)
.PHONY: bench bench-smoke bench-compare

bench:
	$(CARGO) bench -p sigverify --bench verify
	python3 benches/summarize.py

# The test profile (deps at opt-level 2) reuses what rust-test built: no
# second optimised build of the dependency tree just to run each bench once.
# --workspace as in rust-test: the same feature resolution, so criterion and
# the core crate are not rebuilt for `-p sigverify`'s narrower one.
bench-smoke:
	$(CARGO) test --workspace --bench verify

bench-compare:
	python3 benches/compare/compare.py
