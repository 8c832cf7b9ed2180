"""Allow ``python -m generator``."""

from generator.cli import main

# Guarded, though a package's ``__main__`` is never run again as a spawned worker's main module:
# run by its path (``python generator/__main__.py``) it would be, once for every worker.
if __name__ == "__main__":
    raise SystemExit(main())
