"""Stage 1, load: site.yaml, the interface strings, and sources from reference managers."""
