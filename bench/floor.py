"""The floor of the benchmark: stock Python-Markdown converting the corpus's pages, nothing else.

    python bench/floor.py PAGES_FOLDER [--extensions]

Reads every .md file under PAGES_FOLDER, front matter removed, and converts it with a
stock `markdown.Markdown()` (reset between pages), with no extension, or with
--extensions the ones our generator configures (explainer.markdown.extension's
STANDARD_EXTENSIONS); writes nothing. Prints the number of pages converted. One process
on one core: bench/compare.py divides its CPU seconds by the machine's cores to get what
two cores could do at best, which is the floor a generator's build is compared with.
"""

from __future__ import annotations

import sys
from pathlib import Path

import markdown


def body(text: str) -> str:
    """The page's Markdown without its YAML front matter (between two `---` lines)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def main() -> None:
    folder = Path(sys.argv[1])
    if "--extensions" in sys.argv[2:]:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from explainer.markdown.extension import EXTENSION_CONFIGS, STANDARD_EXTENSIONS

        md = markdown.Markdown(extensions=STANDARD_EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    else:
        md = markdown.Markdown()
    pages = sorted(folder.rglob("*.md"))
    for page in pages:
        md.reset()
        md.convert(body(page.read_text(encoding="utf-8")))
    print(f"converted {len(pages)} pages")


if __name__ == "__main__":
    main()
