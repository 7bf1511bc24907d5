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

from anfrage.errors import Problem, UserError, os_reason

# libyaml's composer where PyYAML was built with it (same node tree and marks, several times faster).
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
        raise UserError(f"Datei nicht lesbar: {os_reason(exc)}.", file=name) from None
    if not path.is_file():
        raise UserError("ist keine Datei.", file=name)
    if size > max_bytes:
        raise UserError(f"Datei ist zu groß ({_thousands(size)} Bytes, höchstens {_thousands(max_bytes)}).", file=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Datei nicht lesbar: {os_reason(exc)}.", file=name) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its BOM, as Notepad may save
        try:
            return _checked(raw.decode("utf-16").removeprefix("\ufeff"), name)
        except UnicodeDecodeError:
            raise UserError(
                "ist als UTF-16 gekennzeichnet, aber nicht lesbar; bitte als UTF-8 speichern.", file=name
            ) from None
    if raw.startswith(_BINARY_MAGIC) or raw.count(b"\x00") > max(2, len(raw) // 100):
        raise UserError(
            "ist keine Textdatei (Binärdaten, z. B. eine Word-, PDF- oder ZIP-Datei); erwartet wird Text in UTF-8.",
            file=name,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:  # files that are not UTF-8 are almost always Windows-1252 (Latin-1) from Word or Excel
            guess = (
                f"„{raw[exc.start : exc.start + 1].decode('cp1252')}“ ist vermutlich in Windows-1252/Latin-1 "
                "gespeichert"
            )
        except UnicodeDecodeError:
            guess = f"Byte 0x{raw[exc.start]:02X}"
        raise UserError(
            f"ist nicht in UTF-8 kodiert ({guess}); bitte die Datei als UTF-8 speichern.",
            file=name,
            line=line,
        ) from None
    return _checked(text.removeprefix("\ufeff"), name)


def _checked(text: str, name: str) -> str:
    """Line endings as LF (CRLF from Windows is no difference), no characters a DOCX cannot hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise UserError(
            f"enthält ein unzulässiges Steuerzeichen (U+{ord(bad.group()):04X}); es würde die Word-Datei beschädigen.",
            file=name,
            line=line,
        )
    return text


_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b")


def _thousands(number: int) -> str:
    """``2145371`` → ``2.145.371`` (German digit grouping)."""
    return f"{number:,}".replace(",", ".")


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
                f"mehr als {_thousands(MAX_NODES)} Knoten.",
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
                # "on:", "yes:", "true:" would become the keys True/1: YAML 1.1 booleans are no names
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    self.problems.append(
                        Problem(
                            self.file, key_node.start_mark.line + 1, format_path(path), "Schlüssel muss ein Text sein."
                        )
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
        line = node.start_mark.line + 1
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            if node.tag == "tag:yaml.org,2002:timestamp":  # e.g. an impossible date such as 2018-02-30
                message = f"kein gültiges Datum „{node.value}“ (Form JJJJ-MM-TT, z. B. 2018-11-28)."
            else:
                message = f"ungültiger Wert „{node.value}“."
            self.problems.append(Problem(self.file, line, format_path(path), message))
            return None
        if isinstance(value, str):
            # An escape in double quotes ("\x0b", "\0") makes characters that read_text never saw.
            bad = FORBIDDEN_CHARS.search(value)
            if bad:
                self.problems.append(
                    Problem(
                        self.file,
                        line,
                        format_path(path),
                        f"enthält ein unzulässiges Steuerzeichen (U+{ord(bad.group()):04X}); es würde die "
                        "Word-Datei beschädigen.",
                    )
                )
                return FORBIDDEN_CHARS.sub(" ", value)
        return value


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml when available; on a syntax error compose again with the pure-Python
    loader, whose error messages are the ones translated below (errors are rare, speed is not)."""
    if _COMPOSER is yaml.SafeLoader:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def parse_yaml(text: str, file: str) -> Document:
    """Parse YAML text into a :class:`Document`. Syntax errors raise ``UserError`` with the line."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.context or "").startswith(("while scanning a", "while parsing a flow")):
            # an unclosed quote or bracket, a key without colon: PyYAML notices it lines later;
            # the line where the quote, bracket or key starts is the one to fix
            mark = exc.context_mark
        line = mark.line + 1 if mark else 0
        raise UserError(f"YAML-Syntaxfehler: {_german_yaml_problem(exc)}.", file=file, line=line) from None
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
    "found character '\\t' that cannot start any token": (
        "Tabulatorzeichen sind in YAML nicht erlaubt (Leerzeichen verwenden)"
    ),
    "mapping values are not allowed here": (
        "Doppelpunkt an unerwarteter Stelle (Text mit „: “ in Anführungszeichen setzen)"
    ),
    "could not find expected ':'": "Doppelpunkt nach dem Schlüssel fehlt",
    "did not find expected key": "Einrückung stimmt nicht (Schlüssel erwartet)",
    "did not find expected '-' indicator": "Einrückung stimmt nicht (Listeneintrag „-“ erwartet)",
    "found undefined alias": "unbekannter Verweis (Alias)",
    "found unexpected end of stream": "Datei endet unerwartet (Anführungszeichen nicht geschlossen?)",
    "found unknown escape character": "unbekannte Escape-Sequenz in Anführungszeichen",
    "expected <block end>, but found '-'": "Einrückung stimmt nicht vor „-“",
    "expected ',' or ']'": "Liste in eckigen Klammern nicht geschlossen („]“ oder Komma fehlt)",
    "expected ',' or '}'": "Eintrag in geschweiften Klammern nicht geschlossen („}“ oder Komma fehlt)",
    "expected the node content, but found '<stream end>'": (
        "Datei endet mitten in einer Liste oder einem Eintrag („[“ oder „{“ nicht geschlossen?)"
    ),
    "expected alphabetic or numeric character": "Anker oder Verweis („&“, „*“) ohne Namen",
    "found character '@' that cannot start any token": (
        "ein Wert darf nicht mit „@“ beginnen – den Text in Anführungszeichen setzen"
    ),
    "found character '`' that cannot start any token": (
        "ein Wert darf nicht mit „`“ beginnen – den Text in Anführungszeichen setzen"
    ),
    "found character '%' that cannot start any token": (
        "ein Wert darf nicht mit „%“ beginnen – den Text in Anführungszeichen setzen"
    ),
    "but found another document": "ein zweites Dokument („---“) in derselben Datei; bitte nur eines",
}


def _german_yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    if (exc.context or "").startswith("while scanning a quoted scalar"):
        return "Anführungszeichen wird nicht geschlossen"
    for english, german in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return german
    if "expected <block end>" in problem:
        return "Einrückung stimmt nicht"
    if "cannot start any token" in problem:
        return "unerwartetes Zeichen am Anfang eines Wertes – den Text in Anführungszeichen setzen"
    return "Aufbau der Datei nicht lesbar (Einrückung, Doppelpunkte und Anführungszeichen prüfen)"
