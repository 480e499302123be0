#!/usr/bin/env python3
"""Gazette's entry point: `python build.py [build|import|serve|new|check] ...`."""

from gazette.cli import run

if __name__ == "__main__":
    run()
