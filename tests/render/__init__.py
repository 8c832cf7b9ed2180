"""Tests of generator.render."""
