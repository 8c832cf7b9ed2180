"""What makes rebuilds incremental: the persistent store, the up-to-date check, the stored graph."""
