"""`python -m api tokens create|list|revoke`, `python -m api cases purge`, `python -m api db upgrade`."""

from __future__ import annotations

import sys

from api.cases.cli import main

if __name__ == "__main__":
    sys.exit(main())
