"""Tests of generator.pipeline."""
