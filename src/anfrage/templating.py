"""The one Jinja environment, and Jinja's errors in German.

Templates and Textbausteine are user files: the environment is sandboxed (no access to Python
internals), strict (an undefined variable is an error, not an empty string) and loads templates
only from the workspace's ``templates/`` folder. Loading (syntax check of every template) and
rendering both use :func:`make_environment`; every Jinja error that reaches a clerk is worded by
:func:`describe_error`, whichever stage met it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from anfrage import german, markdown

__all__ = ["Kind", "describe_error", "german_syntax", "make_environment", "template_position"]

Kind = Literal["vorlage", "textbaustein", "mustertext"]


class _TemplatesOnly(jinja2.FileSystemLoader):
    """FileSystemLoader that refuses files outside the templates folder, also through symlinks."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(self.searchpath[0]).resolve()
        if root not in Path(filename).resolve().parents:
            raise jinja2.TemplateNotFound(f"{template} (verweist aus dem Ordner templates/ hinaus)")
        return source, filename, uptodate


def make_environment(templates_dir: Path | None) -> SandboxedEnvironment:
    """The one place that builds the Jinja environment (sandboxed, StrictUndefined, German filters)."""
    loader = _TemplatesOnly(str(templates_dir)) if templates_dir else None
    env = SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        datum=german.datum,
        datum_kurz=german.datum_kurz,
        zahl=german.zahl,
        euro=german.euro,
        zahlwort=german.zahlwort,
        aufzaehlung=german.aufzaehlung,
        zitat=german.zitat,
        gross=german.gross,
        fragen_bezug=german.fragen_bezug,
        md=markdown.escape,
        zelle=markdown.escape_cell,
    )
    env.globals.update(ergaenzen=german.placeholder)
    return env


# --- German messages ----------------------------------------------------------------------------

# Per kind of template: (phrase after "…", subject of a sentence).
_WORDING: dict[Kind, tuple[str, str]] = {
    "vorlage": ("in der Vorlage", "Die Vorlage"),
    "textbaustein": ("im Textbaustein", "Der Textbaustein"),
    "mustertext": ("im Mustertext", "Der Mustertext"),
}


def describe_error(
    exc: BaseException, kind: Kind, views: Mapping[str, tuple[str, list[str]]] | None = None, known: str = ""
) -> str:
    """One German sentence for an error raised while parsing or rendering a template.

    ``views`` names the objects templates see (type name → German name and fields) so that a
    misspelt field is explained; ``known`` is appended to messages about undefined variables.
    """
    where, subject = _WORDING[kind]
    if isinstance(exc, jinja2.TemplateSyntaxError):
        prefix = "Vorlagen-Syntaxfehler" if kind == "vorlage" else f"Vorlagen-Syntaxfehler {where}"
        return f"{prefix}: {german_syntax(exc.message)}."
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"Vorlage „{exc.name}“ nicht gefunden (Vorlagen müssen im Ordner templates/ liegen)."
    if isinstance(exc, jinja2.UndefinedError):
        return f"unbekannte Variable {where}: {german_undefined(exc.message, views or {})}{known}."
    if isinstance(exc, SecurityError):
        return f"{subject} greift auf geschützte Python-Interna zu ({_german_security(exc)}); das ist nicht erlaubt."
    if isinstance(exc, RecursionError):
        if kind == "vorlage":
            return (
                "Die Vorlage ist zu tief verschachtelt oder ruft sich ohne Ende selbst auf "
                "(z. B. ein Makro, das sich selbst aufruft)."
            )
        return f"{subject} ist zu tief verschachtelt."
    if kind == "vorlage":
        return f"Fehler beim Ausführen der Vorlage: {exc}"
    return f"Fehler {where}: {exc}"


def template_position(tb: TracebackType | None, default: str) -> tuple[str, int]:
    """File and line of the innermost template frame of a traceback (Jinja rewrites them)."""
    file, line = f"templates/{default}", 0
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2") or code.co_filename == "<template>":
            name = code.co_filename
            if name.endswith(".j2"):
                parts = Path(name).parts
                name = "/".join(parts[parts.index("templates") :]) if "templates" in parts else name
            file, line = name, tb.tb_lineno
        tb = tb.tb_next
    return file, line


_UNSAFE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def _german_security(exc: BaseException) -> str:
    """The sandbox's English reason in German: which attribute of which kind of object."""
    match = _UNSAFE.search(str(exc))
    if match:
        return f"Zugriff auf „{match.group(1)}“ eines Objekts vom Typ „{match.group(2)}“"
    return "gesperrter Zugriff"


_NO_ATTRIBUTE = re.compile(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']*)'")


def german_undefined(message: str | None, views: Mapping[str, tuple[str, list[str]]]) -> str:
    """Jinja's "'x' is undefined" / "'… object' has no attribute 'y'" as a German phrase."""
    if not message:
        return "Variable nicht definiert"
    if message.endswith("is undefined"):
        return f"„{message.split(chr(39))[1]}“ ist nicht definiert" if "'" in message else message
    match = _NO_ATTRIBUTE.search(message)
    if match:
        kind, attribute = match.groups()
        what, known = views.get(kind, (f"eines Objekts vom Typ „{kind}“", []))
        listed = f" (vorhanden: {', '.join(known)})" if known else ""
        return f"„{attribute}“ ist kein Feld {what}{listed}"
    return message


_JINJA_SYNTAX = [
    (
        re.compile(r"^unexpected end of template"),
        "Vorlage endet unerwartet – ein „{% … %}“-Block ist nicht mit „{% end… %}“ geschlossen",
    ),
    (
        re.compile(r"^unexpected '(.*)'$"),
        "unerwartetes Zeichen „{0}“ (Klammern „{{{{ … }}}}“ bzw. „{{% … %}}“ prüfen)",
    ),
    (re.compile(r"^Encountered unknown tag '(.*?)'"), "unbekannter Befehl „{0}“ in „{{% … %}}“"),
    (re.compile(r"^expected token '(.*?)', got '(.*?)'"), "„{0}“ erwartet, gefunden wurde „{1}“"),
    (re.compile(r"^No filter named '(.*?)'"), "unbekannter Filter „{0}“"),
    (re.compile(r"^No test named '(.*?)'"), "unbekannter Test „{0}“"),
    (re.compile(r"^unexpected char '(.*?)'"), "unerwartetes Zeichen „{0}“"),
]


def german_syntax(message: str | None) -> str:
    """The most frequent Jinja syntax messages in German (others stay as Jinja wrote them)."""
    text = (message or "").strip()
    for pattern, german_text in _JINJA_SYNTAX:
        match = pattern.match(text)
        if match:
            return german_text.format(*match.groups())
    return text
