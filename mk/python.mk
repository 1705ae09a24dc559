# Python module (bindings/python): build the abi3 wheel into a private venv,
# run its pytest suite and the conformance corpus through
# bindings/python/examples/conformance.py.  Included by the root Makefile,
# which defines CONFORMANCE (the run-conformance script).
#
#   make python-test         build, install, pytest, conformance
#   make python-memcheck     the hostile-input tests (tests/test_misuse.py) under
#                            valgrind memcheck, on the wheel python-test built
#   make python-abi3-check   import the same wheel on every other CPython 3.9+ pyenv has

PYTHON ?= python3
PY_VENV := target/python-venv
PY_BIN := $(abspath $(PY_VENV))/bin
PY_WHEELS := target/wheels
PY_EXAMPLE := bindings/python/examples/conformance.py

.PHONY: python-test python-venv python-wheel python-memcheck python-abi3-check

# The venv is made once; pip only installs what is missing.  maturin and
# pytest come from PyPI by name (no other runtime dependency exists).
$(PY_VENV)/bin/python:
	$(PYTHON) -m venv $(PY_VENV)

python-venv: $(PY_VENV)/bin/python
	$(PY_BIN)/python -m pip install --quiet --disable-pip-version-check maturin pytest

# The wheel builds in the workspace's target dir, for the same --target as the
# CLI's release build, whose dependencies it reuses (maturin builds a cdylib
# only: LTO'd, dependencies as bitcode, like the CLI's). pyo3's derives need
# more of syn, so serde_derive, serde and the core crate are rebuilt.
python-wheel: python-venv
	rm -f $(PY_WHEELS)/sigverify-*.whl
	$(PY_BIN)/maturin build --release --target $(HOST_TRIPLE) -m bindings/python/Cargo.toml -i $(PY_BIN)/python -o $(PY_WHEELS)
	$(PY_BIN)/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps $(PY_WHEELS)/sigverify-*.whl

# The example's shebang is `/usr/bin/env python3`: the venv goes first on PATH.
python-test: python-wheel
	cd bindings/python && $(PY_BIN)/python -m pytest -q tests
	PATH="$(PY_BIN):$$PATH" python3 $(CONFORMANCE) --embedded-root $(PY_EXAMPLE)
	PATH="$(PY_BIN):$$PATH" python3 $(CONFORMANCE) $(PY_EXAMPLE)
	PATH="$(PY_BIN):$$PATH" python3 $(CONFORMANCE) --manifest test-vectors/ours/manifest.json $(PY_EXAMPLE)

# abi3: one wheel for CPython 3.9+.  Installs it into a scratch dir for each
# other interpreter pyenv knows (skipped when pyenv is absent) and verifies a bundle.
python-abi3-check: python-wheel
	@command -v pyenv >/dev/null || { echo "python-abi3-check: no pyenv, skipped"; exit 0; }; \
	set -e; for v in $$(pyenv versions --bare | grep -E '^3\.(9|[1-9][0-9])\.'); do \
	  py="$$(pyenv root)/versions/$$v/bin/python3"; dir=target/python-abi3/$$v; rm -rf $$dir; \
	  $$py -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --target $$dir $(PY_WHEELS)/sigverify-*.whl; \
	  PYTHONPATH=$$dir $$py -c 'import sigverify, sys; c = "test-vectors/conformance/happy-path-v0.3/"; \
	    b = sigverify.Bundle.from_json(open(c + "bundle.sigstore.json", "rb").read()); \
	    r = sigverify.Verifier.production().verify_artifact("test-vectors/conformance/a.txt", b, sigverify.Identity( \
	      identity_regex="https://github.com/sigstore-conformance/.*", issuer="https://token.actions.githubusercontent.com")); \
	    print("python", sys.version.split()[0], "sigverify", sigverify.__version__, "ok:", r.identity)'; \
	done

# python-memcheck: tests/test_misuse.py (every entry point fed None, empty,
# truncated, gigantic, invalid UTF-8 and wrong-type input, and hostile objects)
# under valgrind memcheck. Any memory error fails the target (--error-exitcode),
# and so does a definite or indirect leak; possible and still-reachable blocks
# are the interpreter's own (PYTHONMALLOC=malloc makes every object a malloc
# block valgrind can see, instead of pymalloc arenas it cannot).
#
# The interpreter is Debian's /usr/bin/python3, not the pyenv CPython of the
# main venv: that build (3.11.7) reports ~1600 uninitialised-value errors from
# a single CPython defect before any of our code runs (int.from_bytes of a zero
# in importlib poisons the small-int pointer it returns, and every later use of
# it is reported), which no narrow suppression can separate from ours. Debian's
# 3.11 reports none. The wheel is abi3, so the very file python-test built and
# tested is installed (no rebuild) into a second venv made from that interpreter.
# mk/python-memcheck.supp holds the few suppressions, each with its reason.
PY_MEMCHECK_PYTHON ?= /usr/bin/python3
PY_MC_VENV := target/python-memcheck-venv
PY_MC_BIN := $(abspath $(PY_MC_VENV))/bin
PY_MEMCHECK_FLAGS ?= --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --num-callers=40 --suppressions=$(CURDIR)/mk/python-memcheck.supp

$(PY_MC_VENV)/bin/python:
	@$(PY_MEMCHECK_PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "installing python3-venv"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
	$(PY_MEMCHECK_PYTHON) -m venv $(PY_MC_VENV)
	$(PY_MC_BIN)/python -m pip install --quiet --disable-pip-version-check pytest

python-memcheck: $(PY_MC_VENV)/bin/python
	@ls $(PY_WHEELS)/sigverify-*.whl >/dev/null 2>&1 || $(MAKE) python-wheel
	$(PY_MC_BIN)/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps $(PY_WHEELS)/sigverify-*.whl
	cd bindings/python && PYTHONMALLOC=malloc $(VALGRIND) $(PY_MEMCHECK_FLAGS) \
		$(PY_MC_BIN)/python -m pytest -q -p no:cacheprovider tests/test_misuse.py
	@echo "python-memcheck: hostile-input tests under valgrind: no errors, no definite or indirect leaks"
