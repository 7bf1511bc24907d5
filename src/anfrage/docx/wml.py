"""WordprocessingML as text: escaping, the characters a DOCX cannot carry, parsing built XML.

The writer builds its XML as strings (one parse per body instead of thousands of python-docx
calls), so escaping and the check for forbidden characters must happen in one place before any
of that text reaches lxml.
"""

from __future__ import annotations

import re
from typing import Final, TypeAlias

from docx.oxml import parse_xml
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from anfrage.errors import UserError

#: An lxml element. lxml has no type hints, so mypy sees ``Any``; the alias says what is meant.
Element: TypeAlias = etree._Element

W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Characters that XML 1.0 forbids, plus DEL and C1 controls (legal XML, but Word may reject them).
FORBIDDEN_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def esc(text: str) -> str:
    """``text`` as XML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(text: str) -> str:
    """``text`` as the value of a double-quoted XML attribute."""
    return esc(text).replace('"', "&quot;")


def check_chars(text: str, where: str) -> None:
    """Raise ``UserError`` when ``text`` holds a character a DOCX cannot carry.

    Refused rather than dropped: the DOCX must say what the Markdown says.
    """
    m = FORBIDDEN_RE.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        at = f" in Zeile {line}" if "\n" in text else ""
        raise UserError(
            f"{where} enthält{at} das Steuerzeichen U+{ord(m.group()):04X}, das in Word-Dateien "
            "nicht vorkommen darf. Bitte entfernen."
        )


def parse_fragment(xml_parts: list[str], where: str) -> list[Element]:
    """Parse body XML built as text into elements (one parse for the whole body)."""
    xml = "".join(xml_parts)
    check_chars(xml, where)  # catches characters that came from entities such as &#12;
    root = parse_xml(f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{xml}</w:body>')
    return list(root)


def replace_children(element: Element, children: list[Element]) -> None:
    """Make ``children`` the only children of ``element``."""
    for child in list(element):
        element.remove(child)
    for child in children:
        element.append(child)
