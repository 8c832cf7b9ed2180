"""Tests of generator.search."""
