# Python module (bindings/python): build the abi3 wheel into a private venv,
# run its pytest suite and the conformance corpus through
# bindings/python/examples/conformance.py.  Included by the root Makefile,
# which defines CONFORMANCE (the run-conformance script).
#
#   make python-test         build, install, pytest, conformance
#   make python-abi3-check   import the same wheel on every other CPython 3.9+ pyenv has

PYTHON ?= python3
PY_VENV := target/python-venv
PY_BIN := $(abspath $(PY_VENV))/bin
PY_WHEELS := target/wheels
PY_EXAMPLE := bindings/python/examples/conformance.py

.PHONY: python-test python-venv python-wheel python-abi3-check

# The venv is made once; pip only installs what is missing.  maturin and
# pytest come from PyPI by name (no other runtime dependency exists).
$(PY_VENV)/bin/python:
	$(PYTHON) -m venv $(PY_VENV)

python-venv: $(PY_VENV)/bin/python
	$(PY_BIN)/python -m pip install --quiet --disable-pip-version-check maturin pytest

# The wheel builds in the workspace's target dir, so the core crate compiled
# for the CLI's release build is reused.
python-wheel: python-venv
	rm -f $(PY_WHEELS)/sigverify-*.whl
	$(PY_BIN)/maturin build --release -m bindings/python/Cargo.toml -i $(PY_BIN)/python -o $(PY_WHEELS)
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
