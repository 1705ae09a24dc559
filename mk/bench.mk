# Benchmarks (issue 6). Not part of `make test` except bench-smoke.
#   make bench        full criterion run of the core (a few minutes), then the
#                     summary table (median, min, verify/floor ratios)
#   make bench-smoke  every bench once, as a test (seconds after the build)
#   make bench-compare  the peer comparison (installs peers into a scratch folder; minutes)
.PHONY: bench bench-smoke bench-compare

bench:
	$(CARGO) bench -p sigverify --bench verify
	python3 benches/summarize.py

bench-smoke:
	$(CARGO) bench -p sigverify --bench verify -- --test

bench-compare:
	python3 benches/compare/compare.py
