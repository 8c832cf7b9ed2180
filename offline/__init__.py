"""The offline install bundle: its maker (bundle.py) and the files it ships (issue #17)."""
