"""Stage 3, markdown: the site's Markdown dialect, as Python-Markdown extensions."""
