"""Stage 2, kinds: every kind of content (pages and data files), declared once and loaded."""
