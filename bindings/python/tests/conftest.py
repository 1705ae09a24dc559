"""Shared fixtures: the conformance corpus and a verifier per trusted root.

The vectors live in the repository's test-vectors/ (override with the
SIGVERIFY_VECTORS environment variable). The tests import the installed
``sigverify`` package, never the source tree.
"""

import json
import os
import pathlib

import pytest

import sigverify

VECTORS = pathlib.Path(
    os.environ.get("SIGVERIFY_VECTORS", pathlib.Path(__file__).resolve().parents[3] / "test-vectors")
)
PRODUCTION_ROOT = VECTORS / "trust" / "production_trusted_root.json"


class Case:
    """One manifest case with absolute paths."""

    def __init__(self, corpus, raw):
        base = VECTORS / corpus
        self.name = raw["name"]
        self.expect = raw["expect"]
        self.bundle_path = base / raw["bundle"]
        self.artifact_path = base / raw["artifact"]
        self.identity = raw.get("identity")
        self.issuer = raw.get("issuer")
        self.key_path = base / raw["key"] if raw.get("key") else None
        self.root_path = (base / raw["trusted_root"]).resolve()

    def bundle(self):
        return sigverify.Bundle.from_json(self.bundle_path.read_bytes())

    def policy(self):
        if self.key_path is not None:
            return sigverify.PublicKey(self.key_path.read_bytes())
        return sigverify.Identity(identity=self.identity, issuer=self.issuer)

    def artifact(self):
        return self.artifact_path.read_bytes()

    def __repr__(self):
        return self.name


def load(corpus):
    with open(VECTORS / corpus / "manifest.json", encoding="utf-8") as f:
        return {c["name"]: Case(corpus, c) for c in json.load(f)["cases"]}


CASES = load("conformance")
CASES.update(load("ours"))

_VERIFIERS = {}


def verifier_for(case):
    """One verifier per trusted root, shared across tests (it is immutable)."""
    v = _VERIFIERS.get(case.root_path)
    if v is None:
        root = sigverify.TrustedRoot.from_json(case.root_path.read_bytes())
        v = _VERIFIERS[case.root_path] = sigverify.Verifier(root)
    return v


@pytest.fixture
def case():
    return CASES.__getitem__
