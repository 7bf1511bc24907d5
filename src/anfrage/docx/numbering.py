"""Word numbering for the lists and the questions of a draft (``word/numbering.xml``).

Bulleted items, numbered items and questions are Word lists, not typed "•" or "1." text: each
paragraph names a ``w:num`` in its ``w:numPr``, and pandoc, mammoth and Word's own list tools see
list items. There is one ``w:abstractNum`` per kind of marker: "•" for bulleted items, "N." or
"N)" for numbered items, "N." or "N)" for questions (apart from list items, so that a list in an
answer never counts on the questions' numbers).

The numbers are exactly those of the Markdown (as before, when they were typed): a ``w:num``
counts on as long as the Markdown does, so questions 1–5 with their answers between them are one
``w:num`` (and a question added in Word renumbers those after it); where the Markdown's number is
not the next one of that kind and level (a list that starts at 3, a second list that starts at 1
again, "7." after "1)", every nested list), a new ``w:num`` begins at that number with a
``w:startOverride``. Word counts the ``w:num`` instances of one ``w:abstractNum`` as one list that
such an override restarts; they never interleave here, so each shows the Markdown's numbers.

Indents: level 0 has the hanging indent of the paragraph style (``Frage``, ``Aufzählung``; a
vorlage's own style decides), each further level one ``HANG`` more. Ids follow those a vorlage
already uses; the same draft gets the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart

from anfrage.docx.styles import HANG
from anfrage.docx.wml import Element, attr

__all__ = ["BULLET", "Kind", "ListNumbering"]

Kind = Literal["bullet", "ordered", "question"]

BULLET: Final = "•"
_LEVELS: Final = 9
_ABSTRACT: Final = qn("w:abstractNum")
_NUM: Final = qn("w:num")
_CLEANUP: Final = qn("w:numIdMacAtCleanup")


def _ids(root: Element | None, tag: str, id_attr: str) -> int:
    """The largest numeric id of ``tag`` elements in an existing numbering part (0 without one)."""
    found = [0]
    for el in root.iterchildren(tag) if root is not None else ():
        value = el.get(qn(id_attr), "")
        if value.isdigit():
            found.append(int(value))
    return max(found)


@dataclass
class _Sequence:
    num_id: int
    expected: int  # the number the next item must have to continue this w:num


@dataclass
class ListNumbering:
    """The numbering of one document: ``num_pr`` while the body is written, ``write`` at the end.

    ``indents``: (left, hanging) in twips of level 0 per kind, from the paragraph styles.
    """

    doc: DocxDocument
    indents: dict[Kind, tuple[int, int]]
    _abstract: dict[tuple[Kind, str], int] = field(default_factory=dict)
    _sequences: dict[tuple[Kind, str, int], _Sequence] = field(default_factory=dict)
    _nums: list[tuple[int, int, int, int | None]] = field(default_factory=list)  # numId, abstractId, level, start
    _bullet: int = 0
    _part: NumberingPart | None = None

    def __post_init__(self) -> None:
        for rel in self.doc.part.rels.values():
            if rel.reltype == RT.NUMBERING and not rel.is_external and isinstance(rel.target_part, NumberingPart):
                self._part = rel.target_part
                break
        root = self._part.element if self._part is not None else None
        self._next_abstract = _ids(root, _ABSTRACT, "w:abstractNumId") + 1
        self._next_num = _ids(root, _NUM, "w:numId") + 1

    def num_pr(self, kind: Kind, level: int, number: int = 0, delimiter: str = ".", *, first: bool = False) -> str:
        """The ``w:numPr`` of an item: bulleted, or numbered / a question with its Markdown number.

        ``first``: the first item of its Markdown list; a nested list (level above 0) then always
        starts a ``w:num`` of its own, since Word starts it anew after an item of the level above.
        """
        level = max(0, min(level, _LEVELS - 1))
        if kind == "bullet":
            if not self._bullet:
                self._bullet = self._new_num(self._abstract_id(kind, ""), level, None)
            num_id = self._bullet
        else:
            key = (kind, delimiter, level)
            seq = self._sequences.get(key)
            if seq is None or seq.expected != number or (first and level > 0):
                seq = _Sequence(self._new_num(self._abstract_id(kind, delimiter), level, number), number)
                self._sequences[key] = seq
            seq.expected = number + 1
            num_id = seq.num_id
        return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'

    def text_left(self, kind: Kind, level: int) -> int:
        """Where the text of an item of ``kind`` at ``level`` starts (its further paragraphs align there)."""
        return self.indents[kind][0] + HANG * max(0, min(level, _LEVELS - 1))

    def _abstract_id(self, kind: Kind, delimiter: str) -> int:
        key = (kind, delimiter)
        if key not in self._abstract:
            self._abstract[key] = self._next_abstract
            self._next_abstract += 1
        return self._abstract[key]

    def _new_num(self, abstract_id: int, level: int, start: int | None) -> int:
        num_id = self._next_num
        self._next_num += 1
        self._nums.append((num_id, abstract_id, level, start))
        return num_id

    def _abstract_xml(self, abstract_id: int, kind: Kind, delimiter: str) -> str:
        left, hanging = self.indents[kind]
        levels = []
        for level in range(_LEVELS):
            fmt, text = ("bullet", BULLET) if kind == "bullet" else ("decimal", f"%{level + 1}{delimiter}")
            levels.append(
                f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{attr(text)}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left + HANG * level}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
            )
        return (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
        )

    def write(self) -> None:
        """Add the definitions used to the document's numbering part (created when it has none)."""
        if not self._nums:
            return
        if self._part is None:
            package = self.doc.part.package
            taken = {str(p.partname) for p in package.iter_parts()}
            name = "/word/numbering.xml"
            partname = PackURI(name) if name not in taken else package.next_partname("/word/numbering%d.xml")
            element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
            self._part = NumberingPart(partname, CT.WML_NUMBERING, element, package)
            self.doc.part.relate_to(self._part, RT.NUMBERING)
        root = self._part.element
        children = list(root)
        # schema order: all w:abstractNum, then all w:num, then w:numIdMacAtCleanup
        at = next((i for i, c in enumerate(children) if c.tag in (_NUM, _CLEANUP)), len(children))
        for (kind, delimiter), abstract_id in sorted(self._abstract.items(), key=lambda item: item[1]):
            root.insert(at, parse_xml(self._abstract_xml(abstract_id, kind, delimiter)))
            at += 1
        cleanup = root.find(_CLEANUP)
        for num_id, abstract_id, level, start in self._nums:
            override = (
                f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                if start is not None
                else ""
            )
            num = parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
            )
            if cleanup is not None:
                cleanup.addprevious(num)
            else:
                root.append(num)
