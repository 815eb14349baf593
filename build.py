#!/usr/bin/env python3
"""Build, check or preview the explainer site: `python build.py --help`."""

import sys

from explainer.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
