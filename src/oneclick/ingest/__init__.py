"""Read, check and clean the store's four tables: one set of rules, run by DuckDB at any size.

Where each rule lives (add or change a rule there, and every engine follows):

- reading (format, encoding, separator, quoting, header): ``dialect.py``, ``lines.py``, ``sql/split_lines.sql``;
- the Russian names and values, and the known typos: ``columns.py``; near-misses: ``values.py``;
- cell checks (types, ranges, allowed values): the pandera schemas in ``schemas.py``, turned into SQL
  by ``cells.py`` (which also holds number parsing and its repairs);
- repeated keys: ``keys.py``; the refusal of a broken table: ``quarantine.py``;
- customers missing a table or a month, inactive customers: ``exclusions.py``; revenue outliers: ``outliers.py``.
"""

from oneclick.ingest.check import CheckedExport, Policy, check_export
from oneclick.ingest.months import MONTHS_COLUMNS, CustomerFiles, create_customer_months
from oneclick.ingest.quality import DataQuality, SourceFile
from oneclick.ingest.tables import StoreTables, load_tables
from oneclick.ingest.values import Fix

__all__ = [
    "MONTHS_COLUMNS",
    "CheckedExport",
    "CustomerFiles",
    "DataQuality",
    "Fix",
    "Policy",
    "SourceFile",
    "StoreTables",
    "check_export",
    "create_customer_months",
    "load_tables",
]
