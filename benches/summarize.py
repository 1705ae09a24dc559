#!/usr/bin/env python3
"""Summarize the criterion run of `cargo bench -p sigverify --bench verify`.

Reads target/criterion/*/new/sample.json (criterion's raw samples: iteration
counts and total nanoseconds per sample), prints per bench the median and the
minimum time per iteration, and for each case the ratio of a warm verify to the
crypto floor measured in the same run. Minimums are the robust figure on a shared
machine (DEPS.md gotcha 18): other processes only ever add time.
"""

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CRIT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "criterion"
CASES = ["v0.1", "v0.2", "v0.3", "dsse-v0.3", "rekor2", "rekor2-dsse"]


def per_iter(name):
    f = CRIT / name / "new" / "sample.json"
    if not f.exists():
        return None
    s = json.loads(f.read_text())
    t = [time / it / 1000 for it, time in zip(s["iters"], s["times"])]
    return statistics.median(t), min(t)


def us(x):
    return f"{x:,.1f}"


def main():
    names = sorted(p.name for p in CRIT.iterdir() if (p / "new" / "sample.json").exists())
    print("| bench | median µs | min µs |")
    print("|---|---|---|")
    for n in names:
        med, mn = per_iter(n)
        print(f"| {n.replace('_', '/', 1)} | {us(med)} | {us(mn)} |")
    print()
    print("| case | whole verify min µs | floor min µs | verify/floor (min) | verify/floor (median) |")
    print("|---|---|---|---|---|")
    for c in CASES:
        w, f = per_iter(f"whole_{c}"), per_iter(f"floor_{c}")
        if not w or not f:
            continue
        print(f"| {c} | {us(w[1])} | {us(f[1])} | {w[1] / f[1]:.2f} | {w[0] / f[0]:.2f} |")
    r = CRIT / "ratios.json"
    if r.exists():
        print()
        print("Interleaved (verify and floor alternated, 200 rounds of 5 calls each):")
        print()
        print("| case | verify/floor (median of rounds) | verify min µs | floor min µs |")
        print("|---|---|---|---|")
        for x in json.loads(r.read_text()):
            print(f"| {x['case']} | {x['ratio_median']:.3f} | {us(x['whole_min_us'])} | {us(x['floor_min_us'])} |")


if __name__ == "__main__":
    main()
