"""Tests of generator.core."""
