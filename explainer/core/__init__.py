"""Shared by every stage: the located error type and diagnostics, YAML with line marks."""
