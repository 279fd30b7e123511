"""Synthetic customers of «В один клик», in the store's own export format.

The tables look like the real export (headers, values, distributions, defects) and the
label depends on the features as in the real data, so the whole pipeline can be run and
benchmarked at any size without the store's data.

>>> from pathlib import Path
>>> paths = write_synthetic_dataset(Path(tmp), 1_000, seed=7)  # doctest: +SKIP
"""

from oneclick.synth.generate import generate_tables
from oneclick.synth.write import write_synthetic_dataset, write_tables

__all__ = ["generate_tables", "write_synthetic_dataset", "write_tables"]
