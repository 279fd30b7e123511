"""Print the wall time and file sizes of writing a synthetic data set.

Usage: python benchmarks/synth_speed.py [N_CUSTOMERS] [csv|parquet]
(default 1,000,000 customers as CSV, written to a temporary directory).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Literal

from oneclick.synth import write_synthetic_dataset


def main(argv: list[str]) -> None:
    n_customers = int(argv[1].replace("_", "")) if len(argv) > 1 else 1_000_000
    fmt: Literal["csv", "parquet"] = "parquet" if len(argv) > 2 and argv[2] == "parquet" else "csv"
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        paths = write_synthetic_dataset(Path(tmp), n_customers, seed=0, fmt=fmt)
        seconds = time.perf_counter() - started
        sizes = {name: path.stat().st_size for name, path in paths.items()}
    # ru_maxrss is in KiB on Linux.
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n_customers:,} customers as {fmt}: {seconds:.1f} s, peak memory {peak_mib:,.0f} MiB")
    for name, size in sizes.items():
        print(f"  {paths[name].name:<22} {size / 2**20:10.1f} MiB")
    print(f"  {'total':<22} {sum(sizes.values()) / 2**20:10.1f} MiB")


if __name__ == "__main__":
    main(sys.argv)
