"""Ingest: read raw files (txt/md/html/json/jsonl) into `Article`s, quarantining bad input with its reason."""
