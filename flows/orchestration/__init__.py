"""Orchestration: the steps the Prefect flow calls, their retry policy, workers, the run lock, artifacts
and the scheduled deployment."""
