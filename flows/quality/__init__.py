"""Data quality: the GX Core suites that gate the landing tables, and the docs they publish."""
