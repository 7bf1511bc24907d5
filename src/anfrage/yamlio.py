"""Safe YAML reading with line numbers, for files that clerks edit.

PyYAML's SafeLoader is used to *compose* the node tree; we build the Python objects ourselves so
that we can (a) remember the line of every key path, (b) reject duplicate keys, which PyYAML would
silently overwrite, and (c) bound the work an alias bomb could cause. Files are checked for size,
UTF-8 and characters that XML forbids before YAML sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from anfrage.errors import Problem, UserError

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
# C0 controls other than tab, LF, CR, plus DEL..C1 controls except NEL, and lone surrogates:
# XML 1.0 forbids the C0 ones (they would corrupt a DOCX), the others are never wanted in a text.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded YAML document: the data and the line (1-based) of every key path."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # duplicate keys, impossible values

    def line_of(self, path: Path_) -> int:
        """Line of the longest prefix of ``path`` that we know (0 if none)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return 0


def format_path(path: Path_) -> str:
    """``("programme", 7, "urls", 0)`` → ``programme[7].urls[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_text(path: Path, display: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a user file as UTF-8 text; refuse huge, binary or non-UTF-8 files with a German message."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError("Datei nicht gefunden.", file=name) from None
    except OSError as exc:
        raise UserError(f"Datei nicht lesbar ({exc.strerror}).", file=name) from None
    if not path.is_file():
        raise UserError("ist keine Datei.", file=name)
    if size > max_bytes:
        raise UserError(
            f"Datei ist zu groß ({size:,} Bytes, höchstens {max_bytes:,}).".replace(",", "."), file=name
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"ist nicht in UTF-8 kodiert (Byte {exc.start + 1}); bitte als UTF-8 speichern.",
            file=name,
            line=line,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise UserError(
            f"enthält ein unzulässiges Steuerzeichen (U+{ord(bad.group()):04X}); "
            "es würde die Word-Datei beschädigen.",
            file=name,
            line=line,
        )
    return text


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise UserError(
                "YAML ist zu groß oder enthält zu viele Verweise (Anker/Aliase); "
                f"mehr als {MAX_NODES:,} Knoten.".replace(",", "."),
                file=self.file,
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise UserError(
                        "Zusammenführungen mit „<<“ werden nicht unterstützt.",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                    )
                key = self.build(key_node, path + ("<key>",))
                if not isinstance(key, (str, int)):
                    self.problems.append(
                        Problem(self.file, key_node.start_mark.line + 1, format_path(path), "Schlüssel muss ein Text sein.")
                    )
                    continue
                if key in result:
                    self.problems.append(
                        Problem(
                            self.file,
                            key_node.start_mark.line + 1,
                            format_path(path + (key,)),
                            "Schlüssel doppelt vorhanden.",
                        )
                    )
                    continue
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            # e.g. an impossible date such as 2018-02-30
            self.problems.append(
                Problem(self.file, node.start_mark.line + 1, format_path(path), f"ungültiger Wert „{node.value}“.")
            )
            return None


def parse_yaml(text: str, file: str) -> Document:
    """Parse YAML text into a :class:`Document`. Syntax errors raise ``UserError`` with the line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise UserError(f"YAML-Syntaxfehler: {_german_yaml_problem(exc)}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise UserError(f"YAML-Fehler: {exc}", file=file) from None
    except RecursionError:
        raise UserError("YAML ist zu tief verschachtelt.", file=file) from None
    if node is None:
        return Document(file, None, {})
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise UserError("YAML ist zu tief verschachtelt.", file=file) from None
    doc = Document(file, data, builder.lines)
    doc.problems = builder.problems
    return doc


def load_yaml(path: Path, display: str | None = None) -> Document:
    """Read and parse a YAML file that a user may have edited."""
    name = display or str(path)
    return parse_yaml(read_text(path, name), name)


_YAML_PROBLEMS = {
    "found character '\\t' that cannot start any token": "Tabulatorzeichen sind in YAML nicht erlaubt (Leerzeichen verwenden)",
    "mapping values are not allowed here": "Doppelpunkt an unerwarteter Stelle (Text mit „: “ in Anführungszeichen setzen)",
    "could not find expected ':'": "Doppelpunkt nach dem Schlüssel fehlt",
    "did not find expected key": "Einrückung stimmt nicht (Schlüssel erwartet)",
    "did not find expected '-' indicator": "Einrückung stimmt nicht (Listeneintrag „-“ erwartet)",
    "found undefined alias": "unbekannter Verweis (Alias)",
    "found unexpected end of stream": "Datei endet unerwartet (Anführungszeichen nicht geschlossen?)",
    "found unknown escape character": "unbekannte Escape-Sequenz in Anführungszeichen",
    "expected <block end>, but found '-'": "Einrückung stimmt nicht vor „-“",
}


def _german_yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    for english, german in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return german
    if "expected <block end>" in problem:
        return "Einrückung stimmt nicht"
    return problem or str(exc)
