"""Uploads are parsed, never run: size limit, accepted formats by name and content,
zip and gzip bombs, safe file names, YAML profiles without Python tags, Excel without
formulas, and CLI outputs safe to open in a spreadsheet."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from forecasting.history import HistoryError, check_workbook_archive, ingest, load_profile
from planning.cli import main
from planning.files import read_frame, write_frame
from planning.imports import import_history
from planning.uploads import (
    MAX_MB_ENV,
    UploadError,
    check_upload,
    max_upload_bytes,
    safe_file_name,
)

HERE = Path(__file__).resolve().parent / "data" / "ingest"
LOG = "arrival,queue,handle_seconds\n" + "".join(
    f"2026-10-05 0{8 + i % 2}:{i:02d}:00,sales,{100 + i}\n" for i in range(40))
PROFILE = """\
kind: contacts
start: arrival
columns: {queue: queue, handle_time: handle_seconds}
"""
# The start of a Windows program: "MZ", a DOS stub and a PE header full of NUL bytes.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + \
    b"This program cannot be run in DOS mode.\r\r\n$" + bytes(200) + b"PE\x00\x00"


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "log.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def _raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from already deflated parts: (name, raw deflate data, crc32, unpacked size)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in entries:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data),
                              size, len(encoded), 0) + encoded + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                                  len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
                      + encoded)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                          len(central.getvalue()), start, 0))
    return out.getvalue()


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def zip_bomb(gigabytes: int = 1) -> bytes:
    """An .xlsx-looking zip whose sheet unpacks to `gigabytes` GB of zeros from about
    1 MB. Each fully flushed 1 MB block of zeros deflates to the same ~1 kB, so the
    stream is that block repeated (a real, valid deflate stream, built in a second)."""
    block = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    count = gigabytes << 10
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    stream = piece * count + packer.flush()
    return _raw_zip([
        ("[Content_Types].xml", *_deflate(b'<?xml version="1.0"?><Types/>')),
        ("xl/workbook.xml", *_deflate(b'<?xml version="1.0"?><workbook/>')),
        ("xl/worksheets/sheet1.xml", stream, crc, count << 20),
    ])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb()


def test_the_zip_bomb_is_real(bomb: bytes) -> None:
    assert len(bomb) < 2 << 20
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size == 1 << 30
        with archive.open(info) as sheet:
            assert sheet.read(4 << 20) == bytes(4 << 20)  # it really unpacks to zeros


def test_zip_bomb_disguised_as_xlsx_is_refused_before_openpyxl(
        bomb: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(UploadError, match=r"calls\.xlsx: refused: the part "
                       r"'xl/worksheets/sheet1\.xml' packs 1,024 MB into 1\.0 MB"):
        import_history(bomb, "calls.xlsx")
    path = tmp_path / "calls.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(HistoryError, match="zip bomb"):
        ingest(path)  # the library refuses too, whoever calls it
    assert main(["ingest", str(path), "-o", str(tmp_path / "h.csv")]) == 2
    err = capsys.readouterr().err
    assert f"wfm ingest: error: {path}: refused" in err and "zip bomb" in err
    assert "Traceback" not in err and not (tmp_path / "h.csv").exists()


def test_workbook_unpacking_too_far_or_into_too_many_parts_is_refused(tmp_path: Path) -> None:
    ordinary = io.BytesIO()
    pd.DataFrame({"a": range(3000)}).to_excel(ordinary, index=False)
    check_workbook_archive(io.BytesIO(ordinary.getvalue()))  # an ordinary .xlsx passes
    with pytest.raises(HistoryError, match="would unpack to"):
        check_workbook_archive(io.BytesIO(ordinary.getvalue()), name="calls.xlsx",
                               max_unpacked=10_000)
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(60):
            archive.writestr(f"xl/media/{i}.bin", b"x")
    with pytest.raises(HistoryError, match="holds 62 parts, more than 50"):
        check_workbook_archive(io.BytesIO(many.getvalue()), name="calls.xlsx",
                               max_entries=50)


def test_zip_that_is_not_a_workbook_is_refused() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.exe", EXE)
    with pytest.raises(UploadError, match=r"calls\.xlsx: is a zip archive but not an Excel "
                       r"workbook \(no \[Content_Types\]\.xml\)"):
        import_history(archive.getvalue(), "calls.xlsx")


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"0" * (1 << 20)
    data = b"".join(packer.compress(block) for _ in range(300)) + packer.flush()
    path = tmp_path / "calls.csv.gz"
    path.write_bytes(data)
    with pytest.raises(HistoryError, match=r"calls\.csv\.gz: refused: the \.gz unpacks to "
                       r"more than \d+ MB .* a gzip bomb"):
        ingest(path)


def test_ordinary_gzip_still_reads(tmp_path: Path, profile: Path) -> None:
    path = tmp_path / "calls.csv.gz"
    path.write_bytes(gzip.compress(LOG.encode()))
    assert ingest(path, profile=profile).history["contacts"].sum() == 40


@pytest.mark.parametrize("name", ["calls.csv", "calls.xlsx", "calls.parquet", "calls.csv.gz"])
def test_program_renamed_as_data_is_refused(name: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UploadError, match=f"{name}: the name says .* but the content is a "
                       "Windows program"):
        import_history(EXE, name)
    path = tmp_path / name
    path.write_bytes(EXE)
    assert main(["ingest", str(path), "-o", str(tmp_path / "h.csv")]) == 2
    err = capsys.readouterr().err
    assert "Windows program" in err and "Traceback" not in err


def test_library_refuses_a_program_and_binary_data_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "calls.txt"
    path.write_bytes(EXE)
    with pytest.raises(HistoryError, match="is a Windows program"):
        ingest(path)
    path.write_bytes(b"queue,when\n" + bytes(range(256)) * 4)
    with pytest.raises(HistoryError, match="holds binary data, not text"):
        ingest(path)


@pytest.mark.parametrize(("name", "message"), [
    ("calls.exe", ".exe files are not accepted"),
    ("calls.xls", "old Excel .xls workbook"),
    ("calls.json", ".json files are not accepted"),
    ("calls", "a file without an ending is not accepted"),
    ("calls.tar.gz", "only gzipped CSV text"),
])
def test_only_accepted_formats(name: str, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        check_upload(b"queue,when\nq,2026-10-05 08:00\n", name)


def test_parquet_must_carry_its_marks() -> None:
    frame = io.BytesIO()
    pd.DataFrame({"queue": ["q"]}).to_parquet(frame)
    assert check_upload(frame.getvalue(), "h.parquet") == "h.parquet"
    with pytest.raises(UploadError, match="damaged Parquet file"):
        check_upload(b"PAR1" + bytes(100), "h.parquet")
    with pytest.raises(UploadError, match="the name says a Parquet file but the content is "
                       "CSV/TSV text"):
        check_upload(LOG.encode(), "h.parquet")


def test_oversized_upload_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = LOG.encode() * 40  # 48 kB
    with pytest.raises(UploadError, match=r"calls\.csv: is 48 kB, more than the upload "
                       r"limit of 10 kB \(set WFM_MAX_UPLOAD_MB"):
        import_history(data, "calls.csv", max_mb=0.01)
    monkeypatch.setenv(MAX_MB_ENV, "0.01")
    assert max_upload_bytes() == int(0.01 * 2**20)
    with pytest.raises(UploadError, match="more than the upload limit"):
        import_history(data, "calls.csv")
    path = tmp_path / "calls.csv"
    path.write_bytes(data)
    assert main(["ingest", str(path), "-o", str(tmp_path / "h.csv")]) == 2
    assert "more than the upload limit" in capsys.readouterr().err
    monkeypatch.setenv(MAX_MB_ENV, "lots")
    with pytest.raises(UploadError, match="WFM_MAX_UPLOAD_MB='lots': expected a number"):
        max_upload_bytes()
    monkeypatch.delenv(MAX_MB_ENV)
    assert max_upload_bytes() == 200 * 2**20
    with pytest.raises(UploadError, match="is 200.0 MB, more than the upload limit of 100.0 MB"):
        check_upload(b"q" * (200 << 20), "calls.csv", max_mb=100)


def test_streamlit_upload_limit_matches_the_default() -> None:
    import tomllib

    config = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    assert settings["server"]["maxUploadSize"] * 2**20 == max_upload_bytes(200)


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/cron.d/calls.csv", "calls.csv"),
    ("C:\\Users\\li\\Desktop\\calls.csv", "calls.csv"),
    ("calls\x00.exe\n.csv", "calls.exe.csv"),
    ("\u202ecalls.csv", "calls.csv"),  # no right-to-left override to disguise the ending
    ("呼叫记录 11月.xlsx", "呼叫记录 11月.xlsx"),
    ("...", "upload.csv"),
    ("", "upload.csv"),
    ('a<b>c:d"e|f?g*h.csv', "a_b_c_d_e_f_g_h.csv"),
    ("x" * 300 + ".csv", "x" * 116 + ".csv"),
])
def test_file_names_are_sanitised(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_upload_with_a_path_in_its_name_stays_in_its_temp_folder(tmp_path: Path,
                                                                profile: Path) -> None:
    history, summary = import_history(LOG.encode(), "../../../tmp/x/calls.csv",
                                               profile=str(profile))
    assert summary.file == "calls.csv" and "calls.csv" in summary.text
    assert "/tmp" not in summary.text and history["contacts"].sum() == 40


def test_yaml_profile_with_a_python_tag_is_refused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(PROFILE + f'description: !!python/object/apply:os.system ["touch {marker}"]\n',
                    encoding="utf-8")
    with pytest.raises(HistoryError) as info:
        load_profile(evil)
    assert str(info.value).startswith(f"{evil}: import profile uses the tag "
                                      "!!python/object/apply:os.system")
    assert "refused (nothing was run)" in str(info.value)
    log = tmp_path / "calls.csv"
    log.write_text(LOG, encoding="utf-8")
    assert main(["ingest", str(log), "--profile", str(evil), "-o", str(tmp_path / "h.csv")]) == 2
    err = capsys.readouterr().err
    assert str(evil) in err and "python/object" in err and "Traceback" not in err
    with pytest.raises(ValueError, match="python/object"):
        import_history(log.read_bytes(), "calls.csv", profile=str(evil))
    with pytest.raises(ValueError) as info:  # the Data page's own-YAML box
        import_history(log.read_bytes(), "calls.csv",
                       profile_yaml=evil.read_text(encoding="utf-8"))
    assert str(info.value).startswith("the edited import profile: import profile uses the "
                                      "tag !!python/object/apply:os.system")
    assert not marker.exists()
    history, _ = import_history(log.read_bytes(), "calls.csv", profile_yaml=PROFILE)
    assert history["contacts"].sum() == 40


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    laughs = tmp_path / "laughs.yaml"
    lines = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]"
                                   for i in range(1, 10)]
    laughs.write_text(PROFILE + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(HistoryError, match=r"uses a YAML alias"):
        load_profile(laughs)


def test_excel_formulas_are_not_run(tmp_path: Path, profile: Path) -> None:
    """A formula cell is read as its saved value; a file saved without values (as a
    script would write it) leaves it empty, and the import says where."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["arrival", "queue", "handle_seconds"])
    sheet.append(["2026-10-05 08:00:00", "sales", 120])
    sheet.append(["2026-10-05 08:10:00", '=WEBSERVICE("http://example.com/x")', 90])
    sheet.append(["2026-10-05 08:20:00", "sales", "=1+1"])
    path = tmp_path / "calls.xlsx"
    book.save(path)
    with pytest.raises(HistoryError) as info:
        ingest(path, profile=profile)
    assert (info.value.row, info.value.column) == ("sheet 'Sheet' row 3", "queue")
    assert "is empty" in str(info.value)


def test_cli_csv_outputs_neutralise_formulas(tmp_path: Path, profile: Path) -> None:
    log = tmp_path / "calls.csv"
    log.write_text(LOG.replace(",sales,", ',"=HYPERLINK(""http://x"",""y"")",'),
                   encoding="utf-8")
    out = tmp_path / "history.csv"
    assert main(["ingest", str(log), "--profile", str(profile), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("\n\"'=HYPERLINK(") == 48 and "\n\"=HYPERLINK(" not in text
    back = read_frame(out, "history")  # the next command gets the queue back unchanged
    assert set(back["queue"]) == {'=HYPERLINK("http://x","y")'}
    frame = pd.DataFrame({"queue": ["+1", "@a", "-x", "\tq", "ok"], "staff": [-1, 2, 3, 4, 5]})
    write_frame(frame, tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text()
    assert text.splitlines()[1:] == ["'+1,-1", "'@a,2", "'-x,3", "'\tq,4", "ok,5"]
    assert read_frame(tmp_path / "r.csv", "r").equals(frame)
