#!/usr/bin/env python3
"""Cold-start timing of whole commands, interleaved: fresh processes only.

    python3 benches/compare/cold.py RUNS NAME=COMMAND [NAME=COMMAND ...]

Each round starts every command once, in turn, with posix_spawn (stdout and
stderr to /dev/null) and times it until it exits, so a burst of load on a
shared machine hits every command alike. A command that exits non-zero stops
the run. Prints, per command, the minimum, 10th percentile and median wall
milliseconds. COMMAND is split on whitespace (no quoting); give absolute paths.
compare.py's cold columns time subprocess.run from Python, whose own overhead
(about 1 ms here) dilutes the ratios; this is the sharper tool for the cold case.
"""
import os
import statistics
import sys
import time


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    progs = [(name, cmd.split()) for name, cmd in (a.split("=", 1) for a in sys.argv[2:])]
    devnull = os.open(os.devnull, os.O_WRONLY)
    redirect = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    times = {name: [] for name, _ in progs}
    for _ in range(runs):
        for name, argv in progs:
            start = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=redirect)
            _, status = os.waitpid(pid, 0)
            elapsed = time.perf_counter() - start
            if status != 0:
                sys.exit(f"{name}: exit status {status}")
            times[name].append(elapsed * 1e3)
    for name, _ in progs:
        t = sorted(times[name])
        print(f"{name:14s} min {t[0]:.3f} ms  p10 {t[len(t) // 10]:.3f}  median {statistics.median(t):.3f}")


if __name__ == "__main__":
    main()
