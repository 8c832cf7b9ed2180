"""Tests of generator.preview."""
