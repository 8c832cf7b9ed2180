"""Shared machinery of every stage: problems, memo tables, fingerprints, workers, progress, file looks."""
