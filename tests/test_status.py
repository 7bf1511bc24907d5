"""The four-week clock (issue 13): anfrage status, mitzeichnung, versand, the calendar export and
check --strict for drafts due at the Staatskanzlei. Every test fixes the day with --heute or --datum."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage.cli.app import app
from anfrage.draft import count_placeholders
from anfrage.errors import UserError
from anfrage.status.yamledit import set_entry, set_scalar

SERIE = "digitalisierung-2018"
BOCHUM = "data/anfragen/digitalisierung-2018/ka-1640-bochum.yaml"
DRAFT = "digitalisierung-2018-bochum"


def run(runner: CliRunner, ws: Path, *args: str):
    result = runner.invoke(app, [*args, "--workspace", str(ws)])
    assert "Traceback" not in result.output and "Interner Fehler" not in result.output, result.output
    return result


def render(runner: CliRunner, ws: Path, region: str = "bochum", serie: str = SERIE) -> Path:
    out = ws / "entwuerfe"
    result = run(runner, ws, "render", serie, "-r", region, "--format", "beide", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def status_json(runner: CliRunner, ws: Path, heute: str, *extra: str) -> list[dict[str, object]]:
    result = run(runner, ws, "status", "--heute", heute, "--json", "--entwuerfe", str(ws / "entwuerfe"), *extra)
    assert result.exit_code == 0, result.output
    start = result.stdout.index("[")
    rows: list[dict[str, object]] = json.loads(result.stdout[start:])
    return rows


def row(rows: list[dict[str, object]], nummer: int = 1640) -> dict[str, object]:
    return next(r for r in rows if r["nummer"] == nummer)


# --- anfrage status ---------------------------------------------------------------------------


def test_bochum_row_counts_four_weeks_from_arrival(runner: CliRunner, workspace: Path) -> None:
    render(runner, workspace)
    before = row(status_json(runner, workspace, "2018-11-10"))
    assert before["region"] == "bochum"
    assert (before["eingang"], before["frist"], before["freigabe"]) == ("2018-10-24", "2018-11-21", "2018-11-16")
    assert before["tage"] == 11
    expected = count_placeholders((workspace / "entwuerfe" / f"{DRAFT}.md").read_text(encoding="utf-8"))
    assert before["platzhalter"] == expected and before["bearbeitet"] is False and before["wortlaut"] is True
    assert before["mitzeichnung"] == {"mags": None, "mulnv": None}
    assert before["zustand"] == "Entwurf" and before["antwort_drucksache"] is None
    assert row(status_json(runner, workspace, "28.11.2018"))["tage"] == -7


def test_json_has_the_documented_keys(runner: CliRunner, workspace: Path) -> None:
    rows = status_json(runner, workspace, "2018-11-10")
    assert [r["serie"] for r in rows] == ["digitalisierung-2018", "ruhrkonferenz-2020"]
    assert list(rows[0]) == [
        "serie",
        "nummer",
        "drucksache",
        "region",
        "eingang",
        "frist",
        "freigabe",
        "tage",
        "platzhalter",
        "bearbeitet",
        "wortlaut",
        "mitzeichnung",
        "zustand",
        "antwort_drucksache",
    ]
    ruhr = row(rows, 4284)  # its datum is unknown: no clock, no draft in the folder
    assert ruhr["eingang"] is None and ruhr["tage"] is None and ruhr["platzhalter"] is None
    assert ruhr["antwort_drucksache"] == "17/11212"


def test_eingang_overrides_the_date_of_the_anfrage(runner: CliRunner, workspace: Path) -> None:
    path = workspace / BOCHUM
    path.write_text(
        path.read_text(encoding="utf-8").replace("datum: 2018-10-24\n", "datum: 2018-10-24\neingang: 2018-10-26\n")
    )
    r = row(status_json(runner, workspace, "2018-11-10"))
    assert (r["eingang"], r["frist"], r["freigabe"], r["tage"]) == ("2018-10-26", "2018-11-23", "2018-11-18", 13)


def test_table_sorted_by_urgency_with_german_dates(runner: CliRunner, workspace: Path) -> None:
    out = render(runner, workspace)
    result = run(runner, workspace, "status", "--heute", "2018-11-28", "--entwuerfe", str(out))
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Kleine Anfragen – Stand 28. November 2018" in text
    lines = [line for line in text.splitlines() if line.startswith(("digitalisierung", "ruhrkonferenz"))]
    assert lines[0].startswith("digitalisierung-2018  1640")  # overdue first, unknown deadline last
    assert "24.10.2018  21.11.2018  16.11.2018    −7" in lines[0]
    assert "mags offen, mulnv offen" in lines[0]
    assert "1 überfällig" in text


def test_edited_draft_and_changed_question_show(runner: CliRunner, workspace: Path) -> None:
    out = render(runner, workspace)
    md = out / f"{DRAFT}.md"
    text = md.read_text(encoding="utf-8")
    open_items = count_placeholders(text)
    text = text.replace("[[ERGÄNZEN: Drucksache der Kleinen Anfrage (Wahlperiode/Nummer)]]", "4242")
    md.write_text(text.replace("Platzierung von Bochum", "gute Platzierung von Bochum"), encoding="utf-8")
    r = row(status_json(runner, workspace, "2018-11-10"))
    assert (r["platzhalter"], r["bearbeitet"], r["wortlaut"]) == (open_items - 1, True, False)


def test_conflict_blocks_count_as_open(runner: CliRunner, workspace: Path) -> None:
    out = render(runner, workspace)
    md = out / f"{DRAFT}.md"
    open_items = count_placeholders(md.read_text(encoding="utf-8"))
    md.write_text(md.read_text(encoding="utf-8") + "\n[[KONFLIKT: Ihre Fassung: „a“ | Neue Fassung: „b“]]\n")
    assert row(status_json(runner, workspace, "2018-11-10"))["platzhalter"] == open_items + 1


def test_missing_output_folder_is_said_not_fatal(runner: CliRunner, workspace: Path) -> None:
    result = run(runner, workspace, "status", "--heute", "2018-11-10", "--entwuerfe", str(workspace / "fehlt"))
    assert result.exit_code == 0
    assert "Ordner der Entwürfe" in result.output and "nicht gefunden" in result.output


def test_bad_date_is_refused_in_german(runner: CliRunner, workspace: Path) -> None:
    result = run(runner, workspace, "status", "--heute", "2018-02-30")
    assert result.exit_code == 2
    assert "„2018-02-30“ ist kein gültiges Datum" in result.output


def test_one_series_only(runner: CliRunner, workspace: Path) -> None:
    rows = status_json(runner, workspace, "2018-11-10", "ruhrkonferenz-2020")
    assert [r["nummer"] for r in rows] == [4284]


# --- anfrage mitzeichnung ---------------------------------------------------------------------


def test_cosignature_of_one_ressort_shows_the_other_stays_open(runner: CliRunner, workspace: Path) -> None:
    out = render(runner, workspace)
    draft_before = (out / f"{DRAFT}.md").read_bytes()
    path = workspace / BOCHUM
    original = path.read_text(encoding="utf-8")
    result = run(
        runner, workspace, "mitzeichnung", SERIE, "--region", "Bochum", "--ressort", "mags", "--datum", "2018-11-20"
    )
    assert result.exit_code == 0, result.output
    assert "Mitzeichnung von „mags“" in result.output and "20. November 2018" in result.output
    assert "Noch offen: mulnv." in result.output
    # one diffable addition at the end, everything else (comments, layout) byte for byte
    assert path.read_text(encoding="utf-8") == original + "mitzeichnung:\n  mags: 2018-11-20\n"
    r = row(status_json(runner, workspace, "2018-11-21"))
    assert r["mitzeichnung"] == {"mags": "2018-11-20", "mulnv": None}
    assert r["zustand"] == "in Mitzeichnung"
    # the draft's minister line comes from the answer data, not from co-signatures
    assert (
        run(runner, workspace, "render", SERIE, "-r", "bochum", "--format", "beide", "--out", str(out)).exit_code == 0
    )
    assert (out / f"{DRAFT}.md").read_bytes() == draft_before

    result = run(
        runner, workspace, "mitzeichnung", SERIE, "-r", "bochum", "--ressort", "MULNV", "--datum", "21.11.2018"
    )
    assert result.exit_code == 0 and "Alle Mitzeichnungen liegen vor." in result.output
    assert path.read_text(encoding="utf-8").endswith("mitzeichnung:\n  mags: 2018-11-20\n  mulnv: 2018-11-21\n")
    assert row(status_json(runner, workspace, "2018-11-21"))["zustand"] == "mitgezeichnet"

    for ressort in ("mulnv", "mags"):
        result = run(runner, workspace, "mitzeichnung", SERIE, "-r", "bochum", "--ressort", ressort, "--zuruecknehmen")
        assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == original


@pytest.mark.parametrize(
    ("ressort", "message"),
    [
        ("mgas", "Unbekanntes Ressort „mgas“ (bekannt aus data/ressorts.yaml: mp, mwide, mags, mulnv, mbei)."),
        ("mwide", "ist federführend für die Antwort auf die Kleine Anfrage 1640 und zeichnet nicht mit."),
        ("mp", "gehört nicht zum Einvernehmen der Antwort auf die Kleine Anfrage 1640; mitzeichnende Ressorts: „mags“"),
    ],
)
def test_ressort_is_checked_against_catalogue_and_einvernehmen(
    runner: CliRunner, workspace: Path, ressort: str, message: str
) -> None:
    before = (workspace / BOCHUM).read_bytes()
    result = run(
        runner, workspace, "mitzeichnung", SERIE, "-r", "bochum", "--ressort", ressort, "--datum", "2018-11-20"
    )
    assert result.exit_code == 2
    assert message in result.output
    assert (workspace / BOCHUM).read_bytes() == before


def test_mitzeichnung_refuses_future_dates_unknown_anfragen_and_empty_withdrawals(
    runner: CliRunner, workspace: Path
) -> None:
    args = ["mitzeichnung", SERIE, "--ressort", "mags"]
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert "liegt in der Zukunft" in run(runner, workspace, *args, "-r", "bochum", "--datum", future).output
    result = run(runner, workspace, *args, "-r", "dortmund")
    assert (
        result.exit_code == 2
        and "Für Dortmund ist in der Serie „digitalisierung-2018“ keine Kleine Anfrage" in result.output
    )
    result = run(runner, workspace, *args, "-r", "bochum", "--zuruecknehmen")
    assert result.exit_code == 2 and "keine Mitzeichnung von „mags“ eingetragen" in result.output


def test_unknown_ressort_in_the_file_is_a_catalogue_error(runner: CliRunner, workspace: Path) -> None:
    path = workspace / BOCHUM
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "mitzeichnung:\n  mgas: 2018-11-20\n", encoding="utf-8")
    result = run(runner, workspace, "check", SERIE)
    assert result.exit_code == 1
    line = text.count("\n") + 2
    assert f"{BOCHUM}:{line} mitzeichnung.mgas: unbekanntes Ressort „mgas“." in result.output


# --- surgical YAML edits ----------------------------------------------------------------------


def test_yaml_edits_keep_comments_flow_style_and_crlf() -> None:
    text = "a: 1  # eins\r\nmitzeichnung: {mags: 2018-11-20}  # per Mail\r\nversandt:\r\n"
    text = set_entry(text, "mitzeichnung", "mulnv", "2018-11-21", "x.yaml")
    assert text == "a: 1  # eins\r\nmitzeichnung: {mags: 2018-11-20, mulnv: 2018-11-21}  # per Mail\r\nversandt:\r\n"
    text = set_scalar(text, "versandt", "2018-11-28", "x.yaml")
    assert text.endswith("versandt: 2018-11-28\r\n")
    text = set_entry(text, "mitzeichnung", "mags", None, "x.yaml")
    assert "mitzeichnung: {mulnv: 2018-11-21}  # per Mail\r\n" in text


def test_yaml_edits_in_block_style() -> None:
    text = "mitzeichnung:   # Mitzeichnungen\n  mags: 2018-11-20 # per Mail\nfragen: []\n"
    assert set_entry(text, "mitzeichnung", "mags", "2018-11-19", "x") == (
        "mitzeichnung:   # Mitzeichnungen\n  mags: 2018-11-19 # per Mail\nfragen: []\n"
    )
    assert set_entry(text, "mitzeichnung", "mulnv", "2018-11-21", "x") == (
        "mitzeichnung:   # Mitzeichnungen\n  mags: 2018-11-20 # per Mail\n  mulnv: 2018-11-21\nfragen: []\n"
    )
    assert set_entry(text, "mitzeichnung", "mags", None, "x") == "fragen: []\n"
    assert set_entry("mitzeichnung: null\nx: 1\n", "mitzeichnung", "mags", "2018-11-20", "x") == (
        "mitzeichnung:\n  mags: 2018-11-20\nx: 1\n"
    )
    assert set_scalar("versandt: 2018-11-27  # zu früh\n", "versandt", "2018-11-28", "x") == (
        "versandt: 2018-11-28  # zu früh\n"
    )


def test_yaml_edit_refuses_what_it_cannot_do_safely() -> None:
    with pytest.raises(UserError, match="Bitte von Hand eintragen"):
        set_scalar("versandt: |\n  2018-11-28\n", "versandt", "2018-11-29", "x")
    with pytest.raises(UserError, match="keine Zuordnung"):
        set_entry("mitzeichnung: [mags]\n", "mitzeichnung", "mags", "2018-11-20", "x")


# --- calendar ---------------------------------------------------------------------------------


def test_ics_reads_back_and_a_second_export_updates(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    from icalendar import Calendar

    ics = tmp_path / "fristen.ics"
    args = ["status", "--heute", "2018-11-10", "--ics", str(ics), "--entwuerfe", str(workspace / "entwuerfe")]
    result = run(runner, workspace, *args)
    assert result.exit_code == 0, result.output
    data = ics.read_bytes()
    events = {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    assert set(events) == {
        "digitalisierung-2018-ka-1640-frist@anfrage",
        "digitalisierung-2018-ka-1640-freigabe@anfrage",
    }  # KA 4284 has no date: no clock, no event
    frist = events["digitalisierung-2018-ka-1640-frist@anfrage"]
    assert frist.decoded("DTSTART") == dt.date(2018, 11, 21)
    assert frist["DTSTART"].params["VALUE"] == "DATE"
    assert "DTSTART;VALUE=DATE:20181121" in data.decode()
    assert str(frist["SUMMARY"]) == "Frist KA 1640 (Bochum): Antwort an den Landtag"
    assert frist.decoded("DTSTAMP") == dt.datetime(2018, 11, 10, tzinfo=dt.UTC)
    assert int(frist["SEQUENCE"]) == 0
    freigabe = events["digitalisierung-2018-ka-1640-freigabe@anfrage"]
    assert freigabe.decoded("DTSTART") == dt.date(2018, 11, 16)
    assert "KA 1640" in str(freigabe["SUMMARY"]) and "Bochum" in str(freigabe["SUMMARY"])

    # the same data again, another day: the same bytes (UID, SEQUENCE and DTSTAMP kept)
    args[2] = "2018-11-12"
    assert run(runner, workspace, *args).exit_code == 0
    assert ics.read_bytes() == data

    # a corrected arrival date: the same UIDs, SEQUENCE + 1, DTSTAMP of the export
    path = workspace / BOCHUM
    path.write_text(
        path.read_text(encoding="utf-8").replace("datum: 2018-10-24\n", "datum: 2018-10-24\neingang: 2018-10-25\n")
    )
    assert run(runner, workspace, *args).exit_code == 0
    again = {str(e["UID"]): e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    assert set(again) == set(events)
    moved = again["digitalisierung-2018-ka-1640-frist@anfrage"]
    assert moved.decoded("DTSTART") == dt.date(2018, 11, 22)
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTAMP") == dt.datetime(2018, 11, 12, tzinfo=dt.UTC)


def test_ics_never_overwrites_a_foreign_file(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    other = tmp_path / "notizen.ics"
    other.write_text("Einkaufsliste\n", encoding="utf-8")
    result = run(runner, workspace, "status", "--heute", "2018-11-10", "--ics", str(other))
    assert result.exit_code == 2 and "keine iCalendar-Datei" in result.output
    assert other.read_text(encoding="utf-8") == "Einkaufsliste\n"


def test_sent_anfragen_leave_the_calendar(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    path = workspace / BOCHUM
    path.write_text(path.read_text(encoding="utf-8") + "versandt: 2018-11-20\n", encoding="utf-8")
    ics = tmp_path / "fristen.ics"
    assert run(runner, workspace, "status", "--heute", "2018-11-21", "--ics", str(ics)).exit_code == 0
    assert "VEVENT" not in ics.read_text(encoding="utf-8")
    assert row(status_json(runner, workspace, "2018-11-21"))["zustand"] == "versandt"


# --- anfrage versand --------------------------------------------------------------------------


def test_versand_refuses_the_shipped_bochum_draft_and_writes_nothing(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    out = render(runner, workspace)
    before = (workspace / BOCHUM).read_bytes()
    ausgang = tmp_path / "ausgang"
    result = run(runner, workspace, "versand", SERIE, "--regionen", "bochum", "--out", str(ausgang), "-e", str(out))
    assert result.exit_code == 1
    assert "Bochum (digitalisierung-2018-bochum) – nicht versandfertig:" in result.output
    assert "digitalisierung-2018-bochum.md:3: offener Platzhalter: [[ERGÄNZEN: Antwort-Drucksache" in result.output
    assert "digitalisierung-2018-bochum.docx: offener Platzhalter: [[ERGÄNZEN: Drucksache der Kleinen" in (
        result.output
    )
    assert "Die Mitzeichnung von „mags“" in result.output and "Die Mitzeichnung von „mulnv“" in result.output
    assert "Die Nummer der Antwort-Drucksache fehlt" in result.output
    assert "Versand abgelehnt: 1 von 1 Entwurf nicht versandfertig; es wurde nichts geschrieben." in result.output
    assert not ausgang.exists()
    assert (workspace / BOCHUM).read_bytes() == before


def finished(runner: CliRunner, ws: Path, *, in_word_only: bool = False) -> Path:
    """A fixture draft without any open item: made-up Drucksache numbers (test data, not facts), the one
    placeholder the catalogue leaves filled by the clerk in both twins (or only in the Word file),
    both co-signatures recorded."""
    from anfrage.docx.writer import markdown_to_docx

    anfrage = ws / BOCHUM
    text = anfrage.read_text(encoding="utf-8").replace("drucksache: null\n", 'drucksache: "17/99998"\n')
    # the answer's own Drucksache number belongs to the Anfrage (never to the series)
    anfrage.write_text(text + 'antwort:\n  drucksache: "17/99999"\n', encoding="utf-8")
    out = render(runner, ws)
    md = out / f"{DRAFT}.md"
    text = re.sub(r"\[\[ERGÄNZEN: [^\]]*\]\]", "Von Hand ergänzt.", md.read_text(encoding="utf-8"))
    if not in_word_only:
        md.write_text(text, encoding="utf-8")
    (out / f"{DRAFT}.docx").write_bytes(markdown_to_docx(text))  # the clerk's finished Word file
    for ressort, day in (("mags", "2018-11-20"), ("mulnv", "2018-11-21")):
        result = run(runner, ws, "mitzeichnung", SERIE, "-r", "bochum", "--ressort", ressort, "--datum", day)
        assert result.exit_code == 0, result.output
    return out


def test_a_finished_draft_goes_out_as_the_clerks_word_file(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    out = finished(runner, workspace)
    ausgang = tmp_path / "ausgang"
    args = ["versand", SERIE, "--regionen", "bochum", "--out", str(ausgang), "-e", str(out), "--datum", "2018-11-28"]
    result = run(runner, workspace, *args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in ausgang.iterdir()) == [f"{DRAFT}.docx"]  # no manifest, bases or backups
    assert (ausgang / f"{DRAFT}.docx").read_bytes() == (out / f"{DRAFT}.docx").read_bytes()
    assert (workspace / BOCHUM).read_text(encoding="utf-8").endswith("versandt: 2018-11-28\n")
    assert "versandt am 28. November 2018 vermerkt" in result.output
    assert row(status_json(runner, workspace, "2018-11-28"))["zustand"] == "versandt"
    # a second run refuses: already sent, and the file lies in the outbox
    again = run(runner, workspace, *args)
    assert again.exit_code == 1
    assert "Die Antwort wurde bereits am 28. November 2018 versandt." in again.output
    assert "Die Datei liegt schon im Ausgang" in again.output


def test_a_draft_finished_in_word_only_is_judged_by_its_word_file(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    out = finished(runner, workspace, in_word_only=True)
    assert "[[ERGÄNZEN" in (out / f"{DRAFT}.md").read_text(encoding="utf-8")  # unchanged since the render
    ausgang = tmp_path / "ausgang"
    result = run(runner, workspace, "versand", SERIE, "-r", "bochum", "-o", str(ausgang), "-e", str(out))
    assert result.exit_code == 0, result.output
    assert (ausgang / f"{DRAFT}.docx").read_bytes() == (out / f"{DRAFT}.docx").read_bytes()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) fehlt")
def test_versand_with_pdf(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = finished(runner, workspace)
    ausgang = tmp_path / "ausgang"
    result = run(runner, workspace, "versand", SERIE, "-r", "bochum", "-o", str(ausgang), "-e", str(out), "--pdf")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in ausgang.iterdir()) == [f"{DRAFT}.docx", f"{DRAFT}.pdf"]
    text = PdfReader(str(ausgang / f"{DRAFT}.pdf")).pages[0].extract_text()
    assert "Antwort der Landesregierung" in text


def _with_revision(docx: bytes) -> bytes:
    """The Word file with one pending tracked insertion, as Word writes it."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"</w:body>",
                    b'<w:p><w:ins w:id="1" w:author="Referentin" w:date="2018-11-20T10:00:00Z"><w:r><w:t>neu</w:t>'
                    b"</w:r></w:ins></w:p></w:body>",
                    1,
                )
            package.writestr(info, data)
    return target.getvalue()


def test_versand_refuses_pending_word_changes_and_changed_questions(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    from anfrage.docx.writer import markdown_to_docx

    out = finished(runner, workspace)
    docx = out / f"{DRAFT}.docx"
    docx.write_bytes(_with_revision(docx.read_bytes()))
    ausgang = tmp_path / "ausgang"
    args = ["versand", SERIE, "-r", "bochum", "-o", str(ausgang), "-e", str(out)]
    result = run(runner, workspace, *args)
    assert result.exit_code == 1 and not ausgang.exists()
    assert "Nachverfolgte Änderungen sind offen (Einfügungen)" in result.output

    text = (out / f"{DRAFT}.md").read_text(encoding="utf-8").replace("Platzierung von Bochum", "Lage von Bochum")
    docx.write_bytes(markdown_to_docx(text))
    result = run(runner, workspace, *args)
    assert result.exit_code == 1 and not ausgang.exists()
    assert "Frage 4 steht nicht wörtlich als eigener Absatz in der Word-Datei" in result.output


def test_versand_of_a_region_without_anfrage_names_the_model_text(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    out = render(runner, workspace, "dortmund")
    result = run(runner, workspace, "versand", SERIE, "-r", "dortmund", "-o", str(tmp_path / "a"), "-e", str(out))
    assert result.exit_code == 1
    assert (
        "Für Dortmund ist keine Kleine Anfrage erfasst; der Entwurf enthält den Mustertext der Serie" in result.output
    )


# --- check --strict -----------------------------------------------------------------------------


def test_check_strict_fails_for_placeholders_once_the_answer_is_due(runner: CliRunner, workspace: Path) -> None:
    out = render(runner, workspace)
    args = ["check", "--strict", "-e", str(out)]
    n = count_placeholders((out / f"{DRAFT}.md").read_text(encoding="utf-8"))
    early = run(runner, workspace, *args, "--heute", "2018-11-15")
    assert early.exit_code == 0, early.output
    assert (
        f"digitalisierung-2018-bochum.md: {n} offene Platzhalter – Freigabe 16. November 2018, Frist 21. November "
        "2018." in (early.output)
    )
    due = run(runner, workspace, *args, "--heute", "2018-11-16")
    assert due.exit_code == 1
    assert (
        f"Warnung: {n} offene Platzhalter in der Antwort auf die Kleine Anfrage 1640; sie ist seit dem 16. November "
        "2018 bei der Staatskanzlei zur Freigabe fällig (Frist: 21. November 2018)."
    ) in due.output
    assert run(runner, workspace, "check", "-e", str(out), "--heute", "2018-11-16").exit_code == 0


# --- the cache ----------------------------------------------------------------------------------


def _age(folder: Path) -> None:
    """Date every file back a minute, so that the cache takes it (younger files are read each time)."""
    old = time.time() - 60
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))


def test_status_cache_is_used_and_follows_changes(
    runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anfrage.load.series
    import anfrage.status.rows as rows

    out = render(runner, workspace)
    _age(workspace)
    first = status_json(runner, workspace, "2018-11-10")
    assert (out / ".anfrage" / "cache" / "status.json").is_file()
    assert (out / ".anfrage" / "cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("read although unchanged")

    with monkeypatch.context() as m:
        m.setattr(rows, "read_draft", fail)
        m.setattr(rows, "load_bundle", fail)
        assert status_json(runner, workspace, "2018-11-10") == first

    result = run(runner, workspace, "mitzeichnung", SERIE, "-r", "bochum", "--ressort", "mags", "--datum", "2018-11-20")
    assert result.exit_code == 0
    md = out / f"{DRAFT}.md"
    open_items = count_placeholders(md.read_text(encoding="utf-8"))
    md.write_text(
        md.read_text(encoding="utf-8").replace("[[ERGÄNZEN: Drucksache der Kleinen Anfrage (Wahlperiode/Nummer)]]", "1")
    )
    r = row(status_json(runner, workspace, "2018-11-10"))
    assert r["mitzeichnung"] == {"mags": "2018-11-20", "mulnv": None}
    assert (r["platzhalter"], r["bearbeitet"]) == (open_items - 1, True)
    assert anfrage.load.series.load_bundle is rows.load_bundle
