"""examples/conformance.py speaks the conformance CLI protocol: exit 0 when
verified, 1 when not, 2 on usage errors. (make python-test runs the whole
corpus through it; this is a quick check with the interpreter running pytest.)"""

import hashlib
import pathlib
import subprocess
import sys

import pytest

from conftest import CASES

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "conformance.py"


def run(*args):
    return subprocess.run([sys.executable, str(EXAMPLE), *map(str, args)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT).returncode


def case_args(c, artifact):
    args = ["verify-bundle", "--bundle", c.bundle_path]
    if c.key_path:
        args += ["--key", c.key_path]
    else:
        args += ["--certificate-identity", c.identity, "--certificate-oidc-issuer", c.issuer]
    return args + ["--trusted-root", c.root_path, artifact]


@pytest.mark.parametrize("name,status", [
    ("happy-path-v0.3", 0),
    ("managed-key-happy-path", 0),
    ("rekor2-dsse-happy-path", 0),
    ("wrong-material_fail", 1),
    ("managed-key-wrong-key_fail", 1),
    ("bundle-malformed-json_fail", 1),
])
def test_example_exit_status(name, status):
    c = CASES[name]
    digest = "sha256:" + hashlib.sha256(c.artifact()).hexdigest()
    assert run(*case_args(c, c.artifact_path)) == status
    assert run(*case_args(c, digest)) == status


def test_example_usage_errors():
    c = CASES["happy-path-v0.3"]
    assert run() == 2
    assert run("sign-bundle") == 2
    assert run("verify-bundle", "--bundle", c.bundle_path) == 2
    assert run("verify-bundle", "--bundle", c.bundle_path, "--certificate-identity", "x", c.artifact_path) == 2
    assert run("verify-bundle", "--bogus", "1") == 2
    assert run(*case_args(c, c.artifact_path), "extra") == 2
    assert run(*case_args(c, c.artifact_path)[:-1], c.artifact_path.parent / "missing") == 1
