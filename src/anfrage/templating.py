"""The one Jinja environment, and Jinja's errors in German.

Templates and Textbausteine are user files: the environment is sandboxed (no access to Python
internals), strict (an undefined variable is an error, not an empty string) and loads templates
only from the workspace's ``templates/`` folder. Loading (syntax check of every template) and
rendering both use :func:`make_environment`; every Jinja error that reaches a clerk is worded by
:func:`describe_error`, whichever stage met it.
"""

from __future__ import annotations

import ctypes
import operator
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeVar

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from anfrage import german, markdown
from anfrage.yamlio import read_text

__all__ = [
    "Grenzen",
    "Kind",
    "LimitExceeded",
    "describe_error",
    "german_syntax",
    "make_environment",
    "run_with_deadline",
    "template_position",
]

Kind = Literal["vorlage", "textbaustein", "mustertext"]


class _TemplatesOnly(jinja2.FileSystemLoader):
    """FileSystemLoader that refuses files outside the templates folder, also through symlinks."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        pieces = split_template_path(template)
        root = Path(self.searchpath[0])
        path = root.joinpath(*pieces)
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        if root.resolve() not in path.resolve().parents:
            raise jinja2.TemplateNotFound(f"{template} (verweist aus dem Ordner templates/ hinaus)")
        # Read as every user file is read: BOM (Notepad), UTF-16, CRLF, German messages for the rest.
        source = read_text(path, "templates/" + "/".join(pieces))
        mtime = path.stat().st_mtime

        def uptodate() -> bool:
            try:
                return path.stat().st_mtime == mtime
            except OSError:
                return False

        return source, str(path), uptodate


@dataclass(frozen=True)
class Grenzen:
    """Limits for running user templates (``data/einstellungen.yaml``, key ``grenzen``).

    Jinja's sandbox limits attribute access only; its documentation leaves CPU and memory to the
    host. A draft is some 20,000 characters: the defaults are far above any real template and far
    below what hangs a clerk's machine.
    """

    sekunden: float = 10.0  # wall clock per draft
    zeichen: int = 2_000_000  # characters a template may write, and the longest text it may build
    bereich: int = 10_000  # longest range() a template may loop over
    exponent: int = 1_000  # largest exponent of ``**``


class LimitExceeded(Exception):
    """A template went beyond one of the :class:`Grenzen` (German message)."""


class _Timeout(BaseException):
    """Raised asynchronously in the rendering thread when its deadline passes.

    A ``BaseException``, so that no ``except Exception`` in a template's call path swallows it.
    """


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox with bounded arithmetic, repetition and ranges.

    Immutable: a template cannot grow a list while looping over it (``list.append`` is refused).
    """

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, grenzen: Grenzen, **options: Any) -> None:
        super().__init__(**options)
        self.grenzen = grenzen

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        g = self.grenzen
        if operator_ == "**":
            if isinstance(right, int) and isinstance(left, int) and abs(right) > g.exponent and abs(left) > 1:
                raise LimitExceeded(
                    f"Die Potenz {left} ** {right} ist zu groß (Exponent höchstens {_thousands(g.exponent)})."
                )
            return operator.pow(left, right)
        for count, seq in ((left, right), (right, left)):
            countable = isinstance(count, int) and not isinstance(count, bool)
            if countable and isinstance(seq, (str, list, tuple)) and len(seq) * count > g.zeichen:
                raise LimitExceeded(
                    f"Die Vervielfachung ergäbe {_thousands(len(seq) * count)} Zeichen oder Einträge "
                    f"(höchstens {_thousands(g.zeichen)})."
                )
        return operator.mul(left, right)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _bounded_range(limit: int) -> Callable[..., range]:
    def range_(*args: int) -> range:
        values = range(*args)
        if len(values) > limit:
            raise LimitExceeded(
                f"range() mit {_thousands(len(values))} Werten ist zu groß (höchstens {_thousands(limit)})."
            )
        return values

    return range_


def make_environment(templates_dir: Path | None, grenzen: Grenzen | None = None) -> ImmutableSandboxedEnvironment:
    """The one place that builds the Jinja environment (sandboxed, StrictUndefined, German filters)."""
    grenzen = grenzen or Grenzen()
    loader = _TemplatesOnly(str(templates_dir)) if templates_dir else None
    env = _Environment(
        grenzen,
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
    env.globals.update(ergaenzen=german.placeholder, range=_bounded_range(grenzen.bereich))
    return env


def render_bounded(template: jinja2.Template, context: Mapping[str, Any], grenzen: Grenzen) -> str:
    """Render ``template`` and stop it when it writes more than ``grenzen.zeichen`` characters."""
    parts: list[str] = []
    size = 0
    for part in template.generate(context):
        size += len(part)
        if size > grenzen.zeichen:
            raise LimitExceeded(f"Die Vorlage schreibt mehr als {_thousands(grenzen.zeichen)} Zeichen.")
        parts.append(part)
    return "".join(parts)


T = TypeVar("T")


class _Deadline:
    """Stops a thread that runs past its deadline by raising :class:`_Timeout` in it (CPython)."""

    def __init__(self, seconds: float) -> None:
        self.thread = threading.get_ident()
        self.lock = threading.Lock()
        self.active = True
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        with self.lock:
            if self.active:
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread), ctypes.py_object(_Timeout))

    def finish(self) -> None:
        with self.lock:
            self.active = False
        self.timer.cancel()


def _clear_pending(thread: int) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), None)


def run_with_deadline(
    func: Callable[[], T], seconds: float, on_timeout: Callable[[TracebackType | None], Exception]
) -> T:
    """``func()``, or the exception ``on_timeout(traceback)`` gives when it runs longer than ``seconds``.

    The traceback shows where the template was when it was stopped (for file and line).
    """
    deadline = _Deadline(seconds)
    try:
        deadline.timer.start()
        try:
            result = func()
        finally:
            deadline.finish()
        if deadline.fired:  # stopped in C code, or finished just as the deadline passed
            _clear_pending(deadline.thread)
            raise on_timeout(None)
        return result
    except _Timeout as exc:
        _clear_pending(deadline.thread)
        raise on_timeout(exc.__traceback__) from None


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
    if isinstance(exc, LimitExceeded):
        return f"{subject} überschreitet eine Grenze: {exc}"
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
