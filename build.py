#!/usr/bin/env python3
"""Gazette's entry point: `python build.py [build|import|serve|new|check] ...`."""

import sys

from gazette.cli import main

if __name__ == "__main__":
    sys.exit(main())
