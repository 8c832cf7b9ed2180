"""Tests of generator.build."""
