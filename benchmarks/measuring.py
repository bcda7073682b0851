"""Run a command in a fresh process and measure it: wall time, CPU time, peak memory."""

from __future__ import annotations

import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Runs a command and reports its wall time, its CPU time (user + sys of the command and of
# every descendant it waited for: our fork workers, Hugo's threads) and the peak memory of
# the largest of those processes (max RSS).
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


@dataclass
class Figure:
    seconds: float
    cpu: float
    peak_mb: float

    def __str__(self) -> str:
        return f"{self.seconds:.2f} s ({self.cpu:.1f} s CPU)"


def measure(command: list[str], cwd: Path) -> Figure:
    run = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd,
                         capture_output=True, text=True, check=True)
    code, wall, cpu, peak = run.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{run.stderr}")
    return Figure(float(wall), float(cpu), int(peak) / 1024)


def median(figures: list[Figure]) -> Figure:
    """Median wall and CPU time of the runs, largest peak memory."""
    return Figure(statistics.median(f.seconds for f in figures),
                  statistics.median(f.cpu for f in figures),
                  max(f.peak_mb for f in figures))
