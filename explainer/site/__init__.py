"""Stage 8, site: the stages run in order, for a build, a check and a rebuild."""
