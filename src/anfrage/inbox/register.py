"""Registering an Anfrage in a series file by a surgical edit: one line appended under ``anfragen:``
(and under ``geltungsbereich:`` where that is a list), every comment and the layout kept.

The edit is checked by reading the file again: the list must be the old one plus the new entry and
nothing else may have changed; otherwise the file is left as it was and the clerk is told.
"""

from __future__ import annotations

import re
from typing import Any

from anfrage.errors import AnfrageError, UserError
from anfrage.yamlio import parse_yaml

_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:(?P<rest>.*)$")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)-(?:\s|$)")


def append_to_list(text: str, key: str, entry: str, file: str = "<Serie>") -> str:
    """``text`` (a YAML file) with ``entry`` appended to the top-level list ``key``.

    Handles a block list (a line ``  - entry`` after its last item), an empty or flow list on the
    key's line (``key: []``, ``key: [a, b]``) and a missing key (appended at the end). Raises
    ``UserError`` when the result would not be the same document plus this one entry.
    """
    before = _data(text, file)
    old = before.get(key) if isinstance(before, dict) else None
    if old is not None and not isinstance(old, list):
        raise UserError(f"„{key}“ ist keine Liste; „{entry}“ bitte von Hand eintragen.", file=file)
    lines = text.splitlines(keepends=True)
    new = _insert(lines, key, entry)
    after = _data(new, file)
    expected = dict(before) if isinstance(before, dict) else {}
    expected[key] = [*(old or []), entry]
    if after != expected:
        raise UserError(
            f"„{entry}“ ließ sich nicht automatisch unter „{key}:“ eintragen (ungewöhnliches Format der Liste); "
            "bitte von Hand eintragen.",
            file=file,
        )
    return new


def _data(text: str, file: str) -> Any:
    try:
        doc = parse_yaml(text, file)
    except AnfrageError as exc:
        raise UserError(f"Die Serie ist nicht lesbar: {exc.message}", file=file) from None
    if doc.problems:
        raise UserError(f"Die Serie ist nicht lesbar: {doc.problems[0].message}", file=file)
    return doc.data


def _insert(lines: list[str], key: str, entry: str) -> str:
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    item = _quote(entry)
    start = next((i for i, line in enumerate(lines) if (k := _KEY.match(line)) and k.group("key") == key), None)
    if start is None:
        body = "".join(lines)
        if body and not body.endswith("\n"):
            body += newline
        return body + f"{key}:{newline}  - {item}{newline}"
    value, comment = _split_comment(_KEY.match(lines[start]).group("rest"))  # type: ignore[union-attr]
    value = value.strip()
    trailer = f" {comment}" if comment else ""
    if value == "":
        end, indent = _block_end(lines, start)
        if end is not None:
            return "".join(lines[:end] + [f"{indent}- {item}{newline}"] + lines[end:])
    if value in ("", "[]", "null", "~"):
        return "".join(lines[:start] + [f"{key}:{trailer}{newline}", f"  - {item}{newline}"] + lines[start + 1 :])
    if value.startswith("[") and value.endswith("]"):
        inner = value[1:-1].strip().rstrip(",")
        line = f"{key}: [{inner + ', ' if inner else ''}{item}]{trailer}{newline}"
        return "".join(lines[:start] + [line] + lines[start + 1 :])
    raise UserError(f"„{key}“ ist keine Liste.")


def _block_end(lines: list[str], start: int) -> tuple[int | None, str]:
    """The line after the last item (with its continuation lines) of the block list that follows
    line ``start``, and the items' indentation; (None, "") when no item follows."""
    end: int | None = None
    indent = ""
    i = start + 1
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        item = _ITEM.match(line)
        if item is None:
            break  # the next key
        indent = item.group("indent")
        i += 1
        # an item may go on over more deeply indented lines (a long flow mapping)
        while i < len(lines) and lines[i].strip() and _depth(lines[i]) > len(indent) and not _ITEM.match(lines[i]):
            i += 1
        end = i
    return end, indent


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _split_comment(rest: str) -> tuple[str, str]:
    """A line's value and its trailing comment (``#`` after a space, outside quotes)."""
    quote = ""
    for i, ch in enumerate(rest):
        if ch in "\"'" and not quote:
            quote = ch
        elif ch == quote:
            quote = ""
        elif ch == "#" and not quote and (i == 0 or rest[i - 1] in " \t"):
            return rest[:i], rest[i:].strip()
    return rest, ""


def _quote(entry: str) -> str:
    """An entry as a YAML scalar: plain where that is safe (paths, ids), else double-quoted."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_./-]*", entry) and entry not in ("null", "true", "false", "yes", "no"):
        return entry
    return '"' + entry.replace("\\", "\\\\").replace('"', '\\"') + '"'
