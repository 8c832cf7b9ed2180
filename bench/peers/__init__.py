"""Adapters that turn a generated dangjian site into Hugo, Pelican and MkDocs projects (see adapters.py)."""
