"""One verifier shared by many threads; the GIL is released while verifying."""

import concurrent.futures
import threading
import time

import sigverify
from conftest import CASES, verifier_for

NAMES = [
    "happy-path-v0.3",
    "happy-path-intoto-in-dsse-v3",
    "wrong-material_fail",
    "set-invalid-signature_fail",
    "happy-path-v0.1",
]


def test_threads_share_one_verifier():
    verifier = sigverify.Verifier(sigverify.TrustedRoot.production())
    work = [(CASES[n], CASES[n].bundle()) for n in NAMES]

    def run(i):
        c, bundle = work[i % len(work)]
        try:
            verifier.verify_artifact(c.artifact(), bundle, c.policy())
            return c.name, "pass"
        except sigverify.VerificationError as e:
            return c.name, e.step

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, range(400)))
    expected = {
        "happy-path-v0.3": "pass",
        "happy-path-intoto-in-dsse-v3": "pass",
        "happy-path-v0.1": "pass",
        "wrong-material_fail": "artifact-mismatch",
        "set-invalid-signature_fail": "set",
    }
    assert len(results) == 400
    for name, outcome in results:
        assert outcome == expected[name], name


def test_gil_is_released_while_hashing_and_verifying():
    """While one thread hashes a large artifact, another keeps running Python.

    With the GIL held for the whole call, the ticking thread would stall for the
    full hash; released, its longest pause stays a small part of it.
    """
    c = CASES["happy-path-v0.3"]
    verifier, bundle, policy = verifier_for(c), c.bundle(), c.policy()
    data = b"\x00" * (192 << 20)
    done = threading.Event()
    gaps = []

    def tick():
        last = time.perf_counter()
        while not done.is_set():
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    start = time.perf_counter()
    try:
        verifier.verify_artifact(data, bundle, policy)
    except sigverify.ArtifactMismatchError:
        pass
    duration = time.perf_counter() - start
    done.set()
    ticker.join()
    assert duration > 0.1, "hash too quick to measure; enlarge the buffer"
    assert max(gaps) < duration / 2, (max(gaps), duration)
