"""YAML that remembers where each key and value came from (the schema checker is schema.py).

PyYAML's plain ``safe_load`` forgets line numbers and silently keeps the last of two
duplicate keys; editors need both the line of the offending key and a loud duplicate.
"""

from __future__ import annotations

import bisect
import math
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, SiteError

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Line breaks as editors count them. YAML (and str.splitlines) also break lines at U+0085,
# U+2028 and U+2029, which editors show inside a line: positions use editors' lines.
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def editor_lines(text: str) -> list[str]:
    """text split into lines as an editor shows them, each with its line break."""
    lines, start = [], 0
    for m in LINE_BREAK_RE.finditer(text):
        lines.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


class TextLines:
    """Maps a character index in text to an editor's (line, column), both 1-based."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in LINE_BREAK_RE.finditer(text)]

    def at(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, max(index, 0))
        return line, index - self.starts[line - 1] + 1


def line_col(text: str, index: int) -> tuple[int, int]:
    """The editor's (line, column) of text[index], both 1-based."""
    return TextLines(text).at(max(0, min(index, len(text))))


class YMap(dict):
    """A mapping that knows the line and column of each key and value."""

    path: Path
    line: int
    col: int
    key_marks: dict[str, tuple[int, int]]
    value_marks: dict[str, tuple[int, int]]
    value_styles: dict[str, str | None]
    block_indents: dict[str, int]  # a `|` or `>` value's indentation, so columns inside it are right
    # Keys another file gave (a reference manager's export): where each was written there.
    origins: dict[str, Location]

    def loc(self, key: str | None = None) -> Location:
        if key is not None and key in self.__dict__.get("origins", {}):
            return self.origins[key]
        if key is not None and key in self.key_marks:
            return Location(self.path, *self.key_marks[key])
        return Location(self.path, self.line, self.col)

    def value_loc(self, key: str) -> Location:
        if key in self.__dict__.get("origins", {}):
            return self.origins[key]
        if key in self.value_marks:
            return Location(self.path, *self.value_marks[key])
        return self.loc(key)

    def text_loc(self, key: str) -> Location:
        """Where the text of a value starts: a `|` or `>` block starts on the next line."""
        loc = self.value_loc(key)
        if self.value_styles.get(key) in ("|", ">"):
            return Location(loc.path, loc.line + 1, self.block_indents.get(key, 0) + 1)
        if self.value_styles.get(key) in ('"', "'"):
            return Location(loc.path, loc.line, loc.col + 1)  # the text starts after the quote mark
        return loc


class YSeq(list):
    """A list that knows the line and column of each item."""

    path: Path
    line: int
    col: int
    item_marks: list[tuple[int, int]]
    # Items another file gave (a series' shared entries, site/series.py): where each was written.
    origins: dict[int, Location]

    def loc(self, index: int | None = None) -> Location:
        if index is not None and index in self.__dict__.get("origins", {}):
            return self.origins[index]
        if index is not None and index < len(self.item_marks):
            return Location(self.path, *self.item_marks[index])
        return Location(self.path, self.line, self.col)


class _Marked:
    """What both loaders below add to PyYAML's safe loading: maps and lists that carry file
    positions (shifted by line_offset, for front matter, whose YAML starts on the page's
    second line), and values no site holds refused with their position."""

    def __init__(self, text: str, path: Path, lines: TextLines, line_offset: int = 0) -> None:
        super().__init__(text)  # type: ignore[call-arg]
        self.text, self.source_path, self.positions, self.line_offset = text, path, lines, line_offset

    def position_of(self, node: yaml.Node) -> tuple[int, int]:
        line, col = self.positions.at(node.start_mark.index)
        return line + self.line_offset, col

    def location_of(self, node: yaml.Node) -> Location:
        return Location(self.source_path, *self.position_of(node))

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, TypeError, ArithmeticError) as exc:
            if _written_number(node, self.text):  # e.g. 5,000 digits: more than Python turns into an int
                raise SiteError(self.location_of(node), _too_large(node)) from exc
            # An explicit tag with a value it cannot hold (`!!int x`, `!!binary ?`): PyYAML
            # raises plain Python errors for these, with no position.
            raise SiteError(
                self.location_of(node),
                f"YAML cannot read this value as {node.tag.rsplit(':', 1)[-1]}: remove the '!!' tag or fix it",
            ) from exc
        if _out_of_range(value, node, self.text):
            raise SiteError(self.location_of(node), _too_large(node))
        if isinstance(value, str) and (found := BIDI_CONTROLS.search(value)):
            raise _hidden_control(found, value, node, self.source_path, self.position_of(node))
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> YMap:  # type: ignore[override]
        self.flatten_mapping(node)
        result = YMap()
        result.path, (result.line, result.col) = self.source_path, self.position_of(node)
        result.key_marks, result.value_marks, result.value_styles, result.block_indents = {}, {}, {}, {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise SiteError(self.location_of(key_node), "a key must be plain text")
            key = str(key)
            if key in result:
                first = result.key_marks[key][0]
                raise SiteError(self.location_of(key_node), f"duplicate key '{key}' (first defined on line {first})")
            result[key] = self.construct_object(value_node, deep=True)
            result.key_marks[key] = self.position_of(key_node)
            result.value_marks[key] = self.position_of(value_node)
            result.value_styles[key] = getattr(value_node, "style", None) or None  # libyaml: "" for plain
            if result.value_styles[key] in ("|", ">"):
                result.block_indents[key] = _block_indent(value_node, self.text)
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> YSeq:  # type: ignore[override]
        result = YSeq(self.construct_object(child, deep=True) for child in node.value)
        result.path, (result.line, result.col) = self.source_path, self.position_of(node)
        result.item_marks = [self.position_of(child) for child in node.value]
        return result


class MarkedLoader(_Marked, yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's own parser, in Python: its errors are the ones parse_yaml explains."""


# libyaml's parser (PyYAML's C extension, when it was built with it) reads the same YAML 5-10x
# faster; a text it refuses is read again by MarkedLoader, so every error is told the same way.
FastMarkedLoader = type("FastMarkedLoader", (_Marked, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else None

for _loader in (MarkedLoader, FastMarkedLoader):
    if _loader is None:
        continue
    # The base class registers construct_yaml_map/seq, which build objects lazily; route both
    # tags to the marked constructors instead (add_constructor copies the table: SafeLoader
    # itself is untouched).
    _loader.add_constructor("tag:yaml.org,2002:map", _Marked.construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _Marked.construct_sequence)
    # Dates stay strings: templates and JSON-LD want ISO text, and it keeps output stable.
    _loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _hidden_control(found: re.Match[str], value: str, node: yaml.Node, path: Path, at: tuple[int, int]) -> SiteError:
    """The error of a text holding a direction control, at the control when it is on the
    value's first line (after the quote mark of a quoted value), else at the value."""
    line, col = at
    first_line = "\n" not in value[: found.start()]
    quoted = 1 if getattr(node, "style", None) in ('"', "'") else 0
    return SiteError(
        Location(path, line, col + quoted + found.start() if first_line else col),
        f"a hidden direction control character (U+{ord(found.group()):04X}) in this text: it "
        "makes the text show in another order than it is written; delete it (retype the text "
        "around it if you cannot see it)",
    )


# Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder what a
# reader sees (a title reading one way and saying another), so no text field may hold them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Numbers a site holds (counts, years, percentages, ratings, orders): anything beyond this
# is a typing mistake, and would overflow the arithmetic of figures and checks.
NUMBER_LIMIT = 10**15
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _written_number(node: yaml.Node, text: str) -> bool:
    """A number as written (no explicit `!!` tag in the text)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _NUMBER_TAGS:
        return False
    index = node.start_mark.index
    return text[index : index + 1] != "!"


def _out_of_range(value: Any, node: yaml.Node, text: str) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float) or not _written_number(node, text):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return not node.value.lower().lstrip("+-").startswith((".inf", ".nan"))  # 1e999, not .inf
    return abs(value) > NUMBER_LIMIT


def _too_large(node: yaml.ScalarNode) -> str:
    digits = sum(c.isdigit() for c in node.value)
    return (
        f"a number of {digits} digits is far larger than anything a site holds: numbers here must be "
        f"between -{NUMBER_LIMIT:,} and {NUMBER_LIMIT:,} (write it in quotes if it is text, such as an id)"
    )


def _block_indent(node: yaml.Node, text: str) -> int:
    """Spaces before the first text line of a `|` or `>` block (YAML strips them from the value)."""
    for line in text[node.start_mark.index :].split("\n")[1:]:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0


def decode_utf8(raw: bytes, path: Path) -> str:
    """Decode editor text, reporting the line of the first byte that is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SiteError(Location(path, line, col), "file is not valid UTF-8 text; save it as UTF-8") from None
    return text.removeprefix("\ufeff")


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML text; errors carry the file, line and column (shifted by line_offset)."""
    lines = TextLines(text)
    if FastMarkedLoader is not None:
        try:
            return _load(FastMarkedLoader, text, path, lines, line_offset)
        except (yaml.YAMLError, RecursionError):
            pass  # told as PyYAML's own parser tells it, below
    try:
        return _load(MarkedLoader, text, path, lines, line_offset)
    except yaml.MarkedYAMLError as exc:
        line, col, message = _explain_syntax_error(exc, text, line_offset)
        raise SiteError(Location(path, line + line_offset, col), f"YAML syntax error: {message}") from None
    except yaml.reader.ReaderError as exc:
        # A control character (e.g. a NUL byte) that YAML refuses; position is an index into text.
        line, col = line_col(text, exc.position)
        what = f"character U+{exc.character:04X}" if isinstance(exc.character, int) else "character"
        raise SiteError(
            Location(path, line + line_offset, col), f"YAML syntax error: {what} is not allowed in YAML text; delete it"
        ) from None
    except yaml.YAMLError as exc:
        raise SiteError(Location(path, 1 + line_offset, 1), f"YAML error: {exc}") from None
    except RecursionError:
        raise SiteError(Location(path, 1 + line_offset, 1), "YAML nested too deeply to read") from None


def _load(loader_class: Any, text: str, path: Path, lines: TextLines, line_offset: int) -> Any:
    loader = loader_class(text, path, lines, line_offset)
    try:  # what yaml.load does, with a loader that knows the file
        return loader.get_single_data()
    finally:
        loader.dispose()


def _explain_syntax_error(exc: yaml.MarkedYAMLError, text: str, line_offset: int = 0) -> tuple[int, int, str]:
    """(line, col, message) in editors' words, at the spot an editor has to fix.

    PyYAML often notices a mistake lines after it was made (an unclosed quote swallows the
    next line; a missing ':' is found on the line after), so some cases point back at the
    start of the construct (the context mark) instead of where the parser gave up.
    """
    problem, context = exc.problem or "", exc.context or ""
    positions = TextLines(text)
    at = exc.problem_mark or exc.context_mark
    line, col = positions.at(at.index) if at else (1, 1)
    ctx_mark = exc.context_mark
    ctx_line, ctx_col = positions.at(ctx_mark.index) if ctx_mark else (line, col)
    # Lines named inside messages are the file's lines (front matter starts on line 2).
    file_line, file_ctx_line = line + line_offset, ctx_line + line_offset
    if "quoted scalar" in context and "end of stream" in problem:
        return ctx_line, ctx_col, "unclosed quote: this quoted text never ends; add the closing quote"
    opened = _quote_ending_on(text, line, positions)
    if opened:
        return *opened, f"unclosed quote: this quoted text runs on to line {file_line}; close it on this line"
    lines = editor_lines(text)
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())] if 0 < line <= len(lines) else ""
    if "'\\t'" in problem or "\t" in indent:
        return line, col, "a tab character: YAML allows only spaces for indentation"
    if "simple key" in context and "expected ':'" in problem:
        return ctx_line, ctx_col, "a line without 'key: value': add ': ' after the key, or indent it under the key"
    if "mapping values are not allowed" in problem:
        return line, col, "unexpected ': ': quote a value that contains ': ', or fix this line's indentation"
    if "expected <block end>" in problem or ("block" in context and "expected" in problem):
        return line, col, "this line's indentation does not match the lines above it (keys of one mapping must line up)"
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        return (
            line,
            col,
            f"the '{bracket}' on line {file_ctx_line} is not closed where expected (or an item needs quotes)",
        )
    if "undefined alias" in problem:
        return line, col, "text starting with '*' must be in quotes ('*' marks a YAML alias)"
    if "constructor for the tag" in problem:
        return line, col, "text starting with '!' must be in quotes ('!' marks a YAML tag, which is not supported)"
    if "duplicate anchor" in context:
        return line, col, f"{context.split(';')[0].removeprefix('found ')} (first on line {file_ctx_line}): rename one"
    if "another document" in problem:
        return line, col, "a second YAML document ('---') in one file; remove the '---' line"
    detail = f"{context}: {problem}" if context and problem else problem or context or "invalid YAML"
    if ctx_mark is not None and ctx_mark is not at:
        detail += f" (started on line {file_ctx_line})"
    return line, col, detail


def _quote_ending_on(text: str, line: int, positions: TextLines) -> tuple[int, int] | None:
    """Start (line, col) of a quoted value that spans lines and ends on `line` (1-based):
    almost always a missing closing quote whose value swallowed the next line."""
    found = None
    try:
        for token in yaml.scan(text):
            start = positions.at(token.start_mark.index)
            if start[0] > line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and positions.at(token.end_mark.index)[0] == line
                and start[0] < line
            ):
                found = start
    except (yaml.YAMLError, RecursionError):
        pass  # the scan stops at the same error; what it found so far is enough
    return found


def load_yaml_file(path: Path) -> Any:
    text = decode_utf8(path.read_bytes(), path)
    if not text.strip():
        raise SiteError(Location(path), "file is empty")
    value = parse_yaml(text, path)
    if value is None:  # only comments, or a lone `---`
        raise SiteError(Location(path), "file is empty (it holds only comments)")
    return value
