"""Surgical edits of a YAML file that clerks keep in git: one value changes, every other byte stays.

Loading and dumping would lose comments, quoting, flow style and key order; these functions change
the text instead, at the positions the YAML parser reports, and then check the result: the file
must say exactly what it said before plus the one change, or nothing is changed. Supported:

* a top-level scalar (``versandt: 2018-11-28``): replaced in place (a trailing comment stays), or a
  line ``key: value`` appended at the end of the file;
* one entry of a top-level mapping (``mitzeichnung:`` → ``  mags: 2018-11-20``): in a block mapping
  the entry's line is replaced, appended after the last entry or removed; a flow mapping
  (``{mags: 2018-11-20}``) is rewritten on its line; ``mitzeichnung:`` without value (or ``null``,
  ``{}``) becomes a block mapping.

Line endings (CRLF from Windows) are kept; new lines get the file's line ending.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from anfrage.errors import UserError

__all__ = ["set_entry", "set_scalar"]

_NULLS = ("", "null", "Null", "NULL", "~")


def _refuse(file: str, reason: str, wanted: str) -> UserError:
    return UserError(
        f"{reason}; die Datei wird nicht automatisch geändert. Bitte von Hand eintragen: {wanted}", file=file
    )


def _root(text: str, file: str) -> yaml.MappingNode:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise UserError("ist kein gültiges YAML; bitte zuerst mit „anfrage check“ prüfen.", file=file) from None
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise UserError("erwartet eine Kleine Anfrage mit Schlüsseln auf oberster Ebene.", file=file)
    return node


def _find(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _with_final_newline(text: str, nl: str) -> str:
    return text if not text or text.endswith("\n") else text + nl


def _single_line_scalar(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.style not in ("|", ">")
        and node.start_mark.line == node.end_mark.line
    )


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value in _NULLS


def _replace(text: str, node: yaml.Node, value: str) -> str:
    start, end = node.start_mark.index, node.end_mark.index
    if start == end and text[start - 1 : start] == ":":  # "key:" without a value
        value = " " + value
    return text[:start] + value + text[end:]


def _insert_line(text: str, after: int, line: str, nl: str) -> str:
    """Insert ``line`` (without line ending) after the 0-based line ``after``."""
    lines = text.splitlines(keepends=True)
    if after < len(lines) and not lines[after].endswith("\n"):
        lines[after] += nl
    lines.insert(after + 1, line + nl)
    return "".join(lines)


def _remove_lines(text: str, numbers: set[int]) -> str:
    return "".join(line for i, line in enumerate(text.splitlines(keepends=True)) if i not in numbers)


def _verify(before: str, after: str, file: str, expected: dict[str, Any], wanted: str) -> str:
    """``after`` must load to ``expected``; the text that ``before`` was stays otherwise."""
    try:
        loaded = yaml.safe_load(after)
    except yaml.YAMLError:
        loaded = None
    if loaded != expected:
        raise _refuse(file, "Die Änderung ließ sich nicht sicher vornehmen", wanted)
    return after


def _literal(value: str) -> Any:
    return yaml.safe_load(value)


def set_scalar(text: str, key: str, value: str, file: str) -> str:
    """The text with top-level ``key`` set to the YAML literal ``value`` (e.g. ``2018-11-28``)."""
    root = _root(text, file)
    before = yaml.safe_load(text)
    expected = {**before, key: _literal(value)}
    wanted = f"„{key}: {value}“"
    nl = _newline(text)
    pair = _find(root, key)
    if pair is None:
        new = _with_final_newline(text, nl) + f"{key}: {value}{nl}"
    else:
        _k, node = pair
        if not _single_line_scalar(node):
            raise _refuse(file, f"„{key}:“ ist kein einzeiliger Wert", wanted)
        new = _replace(text, node, value)
    return _verify(text, new, file, expected, wanted)


def set_entry(text: str, key: str, entry: str, value: str | None, file: str) -> str:
    """The text with ``entry`` of the top-level mapping ``key`` set to ``value`` (None: removed).

    A mapping that loses its last entry is removed with its key line (block style) or left as
    ``{}`` (flow style).
    """
    root = _root(text, file)
    before = yaml.safe_load(text)
    wanted = f"„{key}:“ mit „{entry}: {value}“" if value is not None else f"„{entry}:“ unter „{key}:“ löschen"
    current = before.get(key)
    if current is not None and not isinstance(current, dict):
        raise _refuse(file, f"„{key}:“ ist keine Zuordnung", wanted)
    mapping = dict(current or {})
    if value is None:
        mapping.pop(entry, None)
    else:
        mapping[entry] = _literal(value)
    expected = copy.deepcopy(before)
    nl = _newline(text)
    pair = _find(root, key)

    if pair is None:
        if value is None:
            return text
        expected[key] = mapping
        new = _with_final_newline(text, nl) + f"{key}:{nl}  {entry}: {value}{nl}"
        return _verify(text, new, file, expected, wanted)

    key_node, node = pair
    if _is_null(node) or (isinstance(node, yaml.MappingNode) and node.flow_style and not node.value):
        if value is None:
            return text
        expected[key] = mapping
        if node.start_mark.line != key_node.start_mark.line:
            raise _refuse(file, f"„{key}:“ hat eine ungewöhnliche Form", wanted)
        before_value, after_value = text[: node.start_mark.index], text[node.end_mark.index :]
        if not after_value.split("\n", 1)[0].strip():  # nothing else on the line: no trailing blank
            before_value = before_value.rstrip(" \t")
        cleared = before_value + after_value
        new = _insert_line(cleared, key_node.start_mark.line, f"  {entry}: {value}", nl)
        return _verify(text, new, file, expected, wanted)

    if not isinstance(node, yaml.MappingNode):
        raise _refuse(file, f"„{key}:“ ist keine Zuordnung", wanted)

    entries = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
    found = next(((k, v) for k, v in entries if k.value == entry), None)

    if node.flow_style:
        if node.start_mark.line != node.end_mark.line or not all(_single_line_scalar(v) for _k, v in entries):
            raise _refuse(file, f"„{key}:“ steht über mehrere Zeilen", wanted)
        items = [(k.value, text[v.start_mark.index : v.end_mark.index]) for k, v in entries]
        if value is None:
            items = [(k, v) for k, v in items if k != entry]
        elif found is not None:
            items = [(k, value if k == entry else v) for k, v in items]
        else:
            items.append((entry, value))
        expected[key] = mapping
        flow = "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
        new = text[: node.start_mark.index] + flow + text[node.end_mark.index :]
        return _verify(text, new, file, expected, wanted)

    if found is not None:
        entry_key, entry_value = found
        if not _single_line_scalar(entry_value) or entry_value.start_mark.line != entry_key.start_mark.line:
            raise _refuse(file, f"„{entry}:“ ist kein einzeiliger Wert", wanted)
        if value is not None:
            expected[key] = mapping
            return _verify(text, _replace(text, entry_value, value), file, expected, wanted)
        lines = {entry_key.start_mark.line}
        if len(node.value) == 1:  # the last entry: the key goes too
            lines.add(key_node.start_mark.line)
            expected.pop(key)
        else:
            expected[key] = mapping
        return _verify(text, _remove_lines(text, lines), file, expected, wanted)

    if value is None:
        return text
    indent = " " * node.value[0][0].start_mark.column
    last = node.value[-1][1]
    last_line = last.end_mark.line if last.end_mark.column > 0 else last.end_mark.line - 1
    expected[key] = mapping
    new = _insert_line(text, last_line, f"{indent}{entry}: {value}", nl)
    return _verify(text, new, file, expected, wanted)
