"""Tests of generator.incremental."""
