"""Evaluation: the fast scoring loop for rule work and the gold-format export."""
