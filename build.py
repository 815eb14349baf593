#!/usr/bin/env python3
"""Build, check or preview the explainer site: `python build.py --help`."""

from explainer.cli.main import entry_point

if __name__ == "__main__":
    entry_point()
