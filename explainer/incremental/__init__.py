"""Stage 7, incremental: what a change is, and the build cache."""
