"""Caller-set size limits on bundle parsing: ``Bundle.from_json(data, *,
max_bundle_bytes=None, max_dsse_payload_bytes=None)``.

The core owns the rule (sigverify::bundle::Limits): a limit can only tighten
the built-in ceiling, a larger value acts as the ceiling, and exceeding a
limit is a LimitError whose message names the size and the limit. Invalid
limit arguments and oversized bytearray/memoryview inputs are in
test_misuse.py (they run under valgrind).
"""

import base64
import json

import pytest

import sigverify
from conftest import CASES, verifier_for

C = CASES["happy-path-v0.3"]
DSSE = CASES["happy-path-intoto-in-dsse-v3"]
MIB = 1 << 20

FORMS = {
    "bytes": bytes,
    "str": lambda raw: raw.decode(),
    "bytearray": bytearray,
    "memoryview": memoryview,
}


def raw_bundle(case):
    return case.bundle_path.read_bytes()


def payload_len(case):
    return len(base64.b64decode(json.loads(raw_bundle(case))["dsseEnvelope"]["payload"]))


def limit_error(call):
    with pytest.raises(sigverify.LimitError) as info:
        call()
    e = info.value
    assert type(e) is sigverify.LimitError
    assert (e.code, e.step) == (16, "limit")
    assert str(e) == "limit: " + e.message
    return e


def test_ceilings_are_exported():
    assert sigverify.MAX_BUNDLE_BYTES == 64 * MIB
    assert sigverify.MAX_DSSE_PAYLOAD_BYTES == 32 * MIB


@pytest.mark.parametrize(
    "limits",
    [
        {},
        {"max_bundle_bytes": None, "max_dsse_payload_bytes": None},
        {"max_bundle_bytes": 64 * MIB, "max_dsse_payload_bytes": 32 * MIB},
    ],
    ids=["omitted", "None", "ceilings"],
)
@pytest.mark.parametrize("case", [C, DSSE], ids=["message-signature", "dsse"])
def test_default_limits_accept(case, limits):
    bundle = sigverify.Bundle.from_json(raw_bundle(case), **limits)
    result = verifier_for(case).verify_artifact(case.artifact(), bundle, case.policy())
    assert result.identity == case.identity


@pytest.mark.parametrize("form", sorted(FORMS))
def test_bundle_limit_rejects_a_real_bundle(form):
    raw = raw_bundle(C)
    n = len(raw)
    # Exactly the bundle's size passes; one byte less is refused.
    bundle = sigverify.Bundle.from_json(FORMS[form](raw), max_bundle_bytes=n)
    verifier_for(C).verify_artifact(C.artifact(), bundle, C.policy())
    e = limit_error(lambda: sigverify.Bundle.from_json(FORMS[form](raw), max_bundle_bytes=n - 1))
    assert e.message == f"bundle of {n} bytes exceeds the {n - 1}-byte limit"


def test_zero_bundle_limit_refuses_every_bundle():
    e = limit_error(lambda: sigverify.Bundle.from_json(raw_bundle(C), max_bundle_bytes=0))
    assert e.message.endswith("exceeds the 0-byte limit")


def test_payload_limit_rejects_a_real_dsse_bundle():
    raw = raw_bundle(DSSE)
    n = payload_len(DSSE)
    assert n > 0
    bundle = sigverify.Bundle.from_json(raw, max_dsse_payload_bytes=n)
    verifier_for(DSSE).verify_artifact(DSSE.artifact(), bundle, DSSE.policy())
    e = limit_error(lambda: sigverify.Bundle.from_json(raw, max_dsse_payload_bytes=n - 1))
    assert e.message == f"the DSSE payload of {n} bytes exceeds the {n - 1}-byte limit"
    # The bundle-size cap alone does not touch the payload cap, and the reverse.
    sigverify.Bundle.from_json(raw, max_bundle_bytes=len(raw))
    limit_error(lambda: sigverify.Bundle.from_json(raw, max_bundle_bytes=len(raw) - 1, max_dsse_payload_bytes=n))


def test_payload_limit_ignores_message_signatures():
    """A message-signature bundle has no DSSE payload: a zero payload cap passes it."""
    assert not sigverify.Bundle.from_json(raw_bundle(C), max_dsse_payload_bytes=0).is_dsse


@pytest.mark.parametrize("limit", [64 * MIB + 1, 2**63, 2**64, 10**40], ids=["ceiling+1", "2^63", "2^64", "10^40"])
def test_limits_above_the_ceiling_act_as_the_ceiling(limit):
    """As in the core: no value lifts the built-in ceilings."""
    sigverify.Bundle.from_json(raw_bundle(C), max_bundle_bytes=limit, max_dsse_payload_bytes=limit)
    big = b" " * (sigverify.MAX_BUNDLE_BYTES + 1)
    e = limit_error(lambda: sigverify.Bundle.from_json(big, max_bundle_bytes=limit))
    assert e.message == f"bundle of {len(big)} bytes exceeds the {sigverify.MAX_BUNDLE_BYTES}-byte limit"


def test_payload_ceiling_holds_under_a_larger_limit():
    head, tail = raw_bundle(DSSE).split(b'"payload": "', 1)
    tail = tail.split(b'"', 1)[1]
    big = head + b'"payload": "' + b"A" * (40 * MIB // 3 * 4) + b'"' + tail
    assert len(big) < sigverify.MAX_BUNDLE_BYTES
    e = limit_error(lambda: sigverify.Bundle.from_json(big, max_dsse_payload_bytes=10**40))
    assert "DSSE payload" in e.message


def test_limits_are_per_call():
    raw = raw_bundle(C)
    limit_error(lambda: sigverify.Bundle.from_json(raw, max_bundle_bytes=10))
    assert sigverify.Bundle.from_json(raw).version == "0.3"


def test_index_objects_are_accepted():
    """Anything with __index__ (numpy integers, ...) counts as an int, as for range()."""

    class Size:
        def __init__(self, n):
            self.n = n

        def __index__(self):
            return self.n

    raw = raw_bundle(C)
    sigverify.Bundle.from_json(raw, max_bundle_bytes=Size(len(raw)))
    e = limit_error(lambda: sigverify.Bundle.from_json(raw, max_bundle_bytes=Size(100)))
    assert e.message.endswith("exceeds the 100-byte limit")
