"""Linking across records and articles: stories, issues, negotiation tracks, answers.

`link.link_batch` runs right after extraction against the indexes persisted in the build
database's `landing` schema (`index.LinkIndex`: candidate lookups by key, never all-pairs over
history) and returns the rows `flows.warehouse.load` writes in the batch's own transaction.
"""
