"""Stage 5, checks: links, numbers and quotations, reading grade, after rendering."""
