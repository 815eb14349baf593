"""`python -m explainer`: the same as the `explainer` command and `python build.py`."""

from .cli.main import entry_point

entry_point()
