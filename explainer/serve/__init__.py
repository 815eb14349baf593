"""Stage 9, serve: the live preview and its incremental rebuilds."""
