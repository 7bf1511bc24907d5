"""Writing drafts safely (output.py): atomic files, the manifest, no lost hand edits."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from anfrage import output
from anfrage.errors import UserError
from anfrage.output import MANIFEST, OutputFolder, Status, atomic_write


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert data["version"] == 1
    return {name: entry["sha256"] for name, entry in data["dateien"].items()}


# --- atomic_write ----------------------------------------------------------------------------------


def test_atomic_write_creates_the_folder_and_leaves_only_the_file(tmp_path: Path) -> None:
    target = tmp_path / "neu" / "entwurf.md"
    atomic_write(target, b"Text\n")
    assert target.read_bytes() == b"Text\n"
    assert [p.name for p in target.parent.iterdir()] == ["entwurf.md"]


def test_atomic_write_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "entwurf.md"
    target.write_bytes(b"alt")
    atomic_write(target, b"neu")
    assert target.read_bytes() == b"neu"
    assert [p.name for p in tmp_path.iterdir()] == ["entwurf.md"]


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_atomic_write_leaves_no_temporary_file_and_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "entwurf.md"
    target.write_bytes(b"alt")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, b"neu")
    assert target.read_bytes() == b"alt"
    assert [p.name for p in tmp_path.iterdir()] == ["entwurf.md"]


def test_atomic_write_cleans_up_on_keyboard_interrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "entwurf.md", b"neu")
    assert list(tmp_path.iterdir()) == []


# --- OutputFolder: statuses ------------------------------------------------------------------------


def test_new_file(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path / "entwuerfe")  # created on the first write
    written = folder.write("a.md", b"eins\n")
    assert (written.path, written.status, written.backup) == (tmp_path / "entwuerfe" / "a.md", Status.NEU, None)
    assert written.path.read_bytes() == b"eins\n"
    folder.save()
    assert _manifest(tmp_path / "entwuerfe") == {"a.md": _sha(b"eins\n")}


def test_unchanged_file_is_not_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = OutputFolder(tmp_path)
    folder.write("a.md", b"eins\n")
    folder.save()
    writes: list[Path] = []
    monkeypatch.setattr(output, "atomic_write", lambda path, data: writes.append(path))
    again = OutputFolder(tmp_path)
    assert again.write("a.md", b"eins\n").status is Status.UNVERAENDERT
    again.save()
    assert writes == []  # neither the draft nor the manifest


def test_updated_file_is_replaced(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path)
    folder.write("a.md", b"eins\n")
    folder.save()
    again = OutputFolder(tmp_path)
    written = again.write("a.md", b"zwei\n")
    assert (written.status, written.backup) == (Status.AKTUALISIERT, None)
    assert (tmp_path / "a.md").read_bytes() == b"zwei\n"
    again.save()
    assert _manifest(tmp_path) == {"a.md": _sha(b"zwei\n")}


def test_edited_file_is_skipped(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path)
    folder.write("a.md", b"eins\n")
    folder.save()
    (tmp_path / "a.md").write_bytes(b"von Hand\n")
    again = OutputFolder(tmp_path)
    written = again.write("a.md", b"zwei\n")
    assert (written.status, written.backup) == (Status.BEARBEITET, None)
    assert (tmp_path / "a.md").read_bytes() == b"von Hand\n"
    again.save()
    assert _manifest(tmp_path) == {"a.md": _sha(b"eins\n")}
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "a.md"]


def test_edited_file_is_backed_up_and_replaced_with_force(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path)
    folder.write("a.md", b"eins\n")
    folder.save()
    edited = b"von Hand\n"
    (tmp_path / "a.md").write_bytes(edited)
    again = OutputFolder(tmp_path)
    written = again.write("a.md", b"zwei\n", force=True)
    backup = tmp_path / f"a.bearbeitet-{_sha(edited)[:8]}.md"
    assert (written.status, written.backup) == (Status.GESICHERT, backup)
    assert backup.read_bytes() == edited
    assert (tmp_path / "a.md").read_bytes() == b"zwei\n"
    again.save()
    assert _manifest(tmp_path) == {"a.md": _sha(b"zwei\n")}  # the backup is the clerk's, not anfrage's


def test_force_does_not_back_up_a_file_anfrage_wrote(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path)
    folder.write("a.md", b"eins\n")
    assert folder.write("a.md", b"zwei\n", force=True).status is Status.AKTUALISIERT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_file_without_a_record_counts_as_edited(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"schon da\n")  # e.g. the manifest was deleted
    folder = OutputFolder(tmp_path)
    assert folder.write("a.md", b"neu\n").status is Status.BEARBEITET
    assert (tmp_path / "a.md").read_bytes() == b"schon da\n"
    folder.save()
    assert not (tmp_path / MANIFEST).exists()  # nothing changed, nothing recorded


def test_identical_file_without_a_record_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"gleich\n")
    folder = OutputFolder(tmp_path)
    assert folder.write("a.md", b"gleich\n").status is Status.UNVERAENDERT
    folder.save()
    assert _manifest(tmp_path) == {"a.md": _sha(b"gleich\n")}


def test_status_texts_are_what_the_clerk_reads() -> None:
    assert [s.value for s in Status] == [
        "neu",
        "aktualisiert",
        "unverändert",
        "zusammengeführt",
        "Konflikt",
        "bearbeitet – übersprungen",
        "bearbeitet – gesichert und ersetzt",
        "geöffnet – nicht ersetzt",
        "Word-Änderungen offen – übersprungen",
    ]


# --- the manifest --------------------------------------------------------------------------------


def test_manifest_bytes_are_deterministic(tmp_path: Path) -> None:
    for name, order in (("a", ["ä.md", "z.md"]), ("b", ["z.md", "ä.md"])):
        folder = OutputFolder(tmp_path / name)
        for file in order:
            folder.write(file, b"a" if file == "ä.md" else b"z")
        folder.save()
    first = (tmp_path / "a" / MANIFEST).read_bytes()
    assert first == (tmp_path / "b" / MANIFEST).read_bytes()  # insertion order does not matter
    assert first.decode("utf-8") == (
        "{\n"
        '  "version": 1,\n'
        '  "dateien": {\n'
        f'    "z.md": {{\n      "sha256": "{_sha(b"z")}"\n    }},\n'
        f'    "ä.md": {{\n      "sha256": "{_sha(b"a")}"\n    }}\n'
        "  }\n"
        "}\n"
    )


def test_manifest_is_written_only_when_something_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = OutputFolder(tmp_path)
    folder.save()
    assert not (tmp_path / MANIFEST).exists()
    folder.write("a.md", b"eins\n")
    writes: list[Path] = []
    real = output.atomic_write
    monkeypatch.setattr(output, "atomic_write", lambda path, data: (writes.append(path), real(path, data)))
    folder.save()
    folder.save()  # a second save without changes writes nothing
    assert writes == [tmp_path / MANIFEST]
    folder.write("b.md", b"zwei\n")
    folder.save()
    assert writes == [tmp_path / MANIFEST, tmp_path / "b.md", tmp_path / MANIFEST]
    assert _manifest(tmp_path) == {"a.md": _sha(b"eins\n"), "b.md": _sha(b"zwei\n")}


def test_manifest_keeps_records_of_files_not_written_in_this_run(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path)
    folder.write("a.md", b"eins\n")
    folder.save()
    again = OutputFolder(tmp_path)
    again.write("b.md", b"zwei\n")
    again.save()
    assert set(_manifest(tmp_path)) == {"a.md", "b.md"}


@pytest.mark.parametrize(
    "content",
    [
        b"{kein json",
        b"[]",
        b'{"dateien": []}',
        b'{"dateien": {"a.md": "abc"}}',
        b'{"dateien": {"a.md": {"hash": "abc"}}}',
        b"\xff\xfe",
    ],
)
def test_damaged_manifest_is_refused(tmp_path: Path, content: bytes) -> None:
    (tmp_path / MANIFEST).write_bytes(content)
    with pytest.raises(UserError) as excinfo:
        OutputFolder(tmp_path)
    assert str(excinfo.value) == (
        f"Das Verzeichnis der geschriebenen Entwürfe ({tmp_path / MANIFEST}) ist beschädigt. "
        "Bitte löschen; anfrage erkennt unveränderte Entwürfe danach an ihrer Basis (.anfrage/basis/) oder "
        "daran, dass sie dem neuen Entwurf gleichen."
    )


def test_manifest_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).mkdir()
    with pytest.raises(UserError, match="ist beschädigt"):
        OutputFolder(tmp_path)


# --- names and folders ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a/b.md", "../a.md", "a\\b.md", ".versteckt.md", MANIFEST, ".."])
def test_invalid_file_names_are_refused(tmp_path: Path, name: str) -> None:
    folder = OutputFolder(tmp_path / "entwuerfe")
    with pytest.raises(UserError) as excinfo:
        folder.write(name, b"x")
    assert str(excinfo.value) == f"Ungültiger Dateiname „{name}“."
    assert list(tmp_path.iterdir()) == []


def test_empty_file_name_is_refused(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path / "entwuerfe")
    with pytest.raises(UserError):
        folder.write("", b"x")


def test_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entwuerfe"
    path.write_bytes(b"")
    with pytest.raises(UserError) as excinfo:
        OutputFolder(path)
    assert str(excinfo.value) == f"Ausgabeordner „{path}“ ist eine Datei, kein Ordner."
