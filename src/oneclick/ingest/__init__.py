"""Read, check and clean the store's four tables."""

from oneclick.ingest.quality import DataQuality
from oneclick.ingest.tables import StoreTables, load_tables

__all__ = ["DataQuality", "StoreTables", "load_tables"]
