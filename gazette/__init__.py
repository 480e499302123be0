"""Gazette: a static site generator for tech-news archives."""

__version__ = "0.1.0"
