"""The command line on top: build, check, serve, new."""
