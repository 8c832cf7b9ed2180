"""Tests of generator.content."""
