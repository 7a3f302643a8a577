"""Helpers shared by the tests: paths of the repo's samples, workspaces of real runs."""
