"""Preview: build, serve the output on localhost, rebuild on change (live reload)."""

from __future__ import annotations

import sys

from .cli import print_diagnostics
from .config import BuildOptions
from .errors import BuildFailed


def serve(options: BuildOptions, host: str, port: int) -> int:
    from livereload import Server

    from .site import build_site, write_site

    def rebuild() -> None:
        try:
            build = build_site(options)
            write_site(build, options)
        except BuildFailed as failed:
            print_diagnostics(failed.diagnostics)

    rebuild()
    server = Server()
    for folder in (options.source, options.templates):
        server.watch(str(folder), rebuild, delay=0.05)
    print(f"serving {options.out} at http://{host}:{port}/", file=sys.stderr)
    server.serve(host=host, port=port, root=str(options.out), open_url_delay=None)
    return 0
