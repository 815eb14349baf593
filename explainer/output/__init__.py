"""Stage 6, output: writing the site to disk, and its search index."""
