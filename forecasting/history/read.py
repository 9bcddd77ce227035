"""Reading a history export (CSV/TSV, .csv.gz, Excel, Parquet) into an Arrow table.

Only the columns an import profile names are read, so customer ids and other
columns never enter memory. Text files are read by pyarrow with the encoding
(UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030) and delimiter (`,` `;` tab `|`)
detected from the first megabyte unless the profile sets them. Every record
keeps its place in the file so errors can name the line a planner sees.

Files are parsed, never run: a program or other binary file is refused, an
.xlsx must be a zip holding the workbook parts and is refused before openpyxl
opens it when it would unpack to more than `MAX_UNPACKED_BYTES`, holds more
than `MAX_ZIP_ENTRIES` parts or packs a part more than `MAX_RATIO` times (a zip
bomb); a .gz is refused on the same limits while it is unpacked. Workbooks are
read with cached cell values only: formulas are not evaluated and links to
other workbooks are dropped, not followed.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.csv as pacsv

from forecasting.history.errors import HistoryError, scrub

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
PARQUET_MAGIC = b"PAR1"
GZIP_MAGIC = b"\x1f\x8b"
# Starts of files that are programs or documents, not contact history.
BINARY_MAGIC = {
    b"MZ": "a Windows program (.exe/.dll)", b"\x7fELF": "a Linux program",
    b"\xcf\xfa\xed\xfe": "a macOS program", b"\xca\xfe\xba\xbe": "a Java class or macOS program",
    b"%PDF": "a PDF document", b"#!": "a script", b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
}
MAX_UNPACKED_BYTES = 4 << 30  # what an .xlsx or .gz may unpack to
MAX_RATIO = 200  # XML and CSV pack 5-30 times; a bomb of zeros about 1000 times
MAX_ZIP_ENTRIES = 10_000
MAX_FIELD_BYTES = (1 << 31) - 1  # a chat transcript may be far over csv's 128 KB default
BLOCK_BYTES = 16 << 20
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


@dataclass
class Source:
    """An opened export: its headers and how to read its records."""

    path: Path
    kind: str  # "text", "excel" or "parquet"
    headers: list[str]
    encoding: str = "utf-8"
    delimiter: str = ","
    skip_rows: int = 0
    sheet: str | None = None
    header_line: int = 1
    gzipped: bool = False
    notes: list[str] = field(default_factory=list)
    _excel_rows: list[int] | None = None
    _line_cache: dict[int, int] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return str(self.path)

    def row(self, index: int) -> str:
        """Where record `index` (0-based, after the header) is, as the planner sees it."""
        if self.kind == "parquet":
            return f"row {index + 1}"
        if self.kind == "excel":
            rows = self._excel_rows or []
            number = rows[index] if index < len(rows) else index + self.header_line + 1
            return f"sheet '{self.sheet}' row {number}"
        return f"line {self._text_line(index)}"

    def error(self, index: int | None, column: str | None, message: str) -> HistoryError:
        """A HistoryError naming this file, the record's row and the column."""
        row = self.row(index) if index is not None else None
        return HistoryError(message, file=self.file, row=row, column=column)

    def _text_line(self, index: int) -> int:
        if index not in self._line_cache:
            self._line_cache[index] = _scan_line_number(self, index)
        return self._line_cache[index]


def open_source(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
                skip_rows: int = 0, sheet: str | None = None) -> Source:
    """Open `path`, detect its format, encoding and delimiter, and read the header."""
    path = Path(path)
    if not path.exists():
        raise HistoryError("no such file; check the path", file=str(path))
    if path.is_dir():
        raise HistoryError("is a folder; expected a contact log or interval file",
                           file=str(path))
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if not magic:
        raise HistoryError("the file is empty; expected a header row and data rows",
                           file=str(path))
    if magic == XLS_MAGIC:
        raise HistoryError("is an old Excel .xls workbook; expected .xlsx (save it as .xlsx "
                           "or CSV)", file=str(path))
    if magic == XLSX_MAGIC:
        check_workbook_archive(path)
        return _open_excel(path, skip_rows, sheet)
    if magic == PARQUET_MAGIC:
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(path).names
        except (pa.ArrowException, OSError) as exc:
            raise HistoryError(f"cannot be read as a Parquet file ({scrub(exc)})",
                               file=str(path)) from None
        return Source(path, "parquet", [str(n) for n in names])
    for start, what in BINARY_MAGIC.items():
        if magic.startswith(start):
            raise HistoryError(f"is {what}, not contact history; expected CSV/TSV text, "
                               ".csv.gz, Excel .xlsx or Parquet", file=str(path))
    gzipped = magic[:2] == GZIP_MAGIC
    if gzipped:
        check_gzip(path)
    return _open_text(path, encoding, delimiter, skip_rows, gzipped=gzipped)


def check_workbook_archive(path: str | Path | IO[bytes], *, name: str | None = None,
                           max_unpacked: int = MAX_UNPACKED_BYTES, max_ratio: float = MAX_RATIO,
                           max_entries: int = MAX_ZIP_ENTRIES) -> None:
    """Refuse a zip that is not an .xlsx workbook, or that is a zip bomb.

    `path` is a file or an open binary stream; `name` names it in messages.
    Reads only the zip's directory. Python's zipfile stops at a part's declared
    size (and then fails its checksum), so the declared sizes bound what
    openpyxl can unpack.
    """
    file = name or str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise HistoryError(f"cannot be opened as an .xlsx workbook ({scrub(exc)})",
                           file=file) from None
    names = {info.filename for info in infos}
    missing = [part for part in WORKBOOK_PARTS if part not in names]
    if missing:
        raise HistoryError(f"is a zip archive but not an Excel workbook (no {missing[0]}); "
                           "expected an .xlsx saved by Excel, LibreOffice or WPS", file=file)
    if len(infos) > max_entries:
        raise HistoryError(f"refused: the workbook holds {len(infos):,} parts, more than "
                           f"{max_entries:,} (a zip bomb?); expected an ordinary .xlsx",
                           file=file)
    total = sum(info.file_size for info in infos)
    if total > max_unpacked:
        raise HistoryError(f"refused: the workbook would unpack to {total / 2**20:,.0f} MB, "
                           f"more than {max_unpacked / 2**20:,.0f} MB (a zip bomb?); expected "
                           "an ordinary .xlsx (or save the data as CSV)", file=file)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > (1 << 20) and ratio > max_ratio:
            raise HistoryError(
                f"refused: the part {shown_name(info.filename)} packs "
                f"{info.file_size / 2**20:,.0f} MB into {info.compress_size / 2**20:,.1f} MB "
                f"({ratio:,.0f} times, more than {max_ratio:g}; a zip bomb?); expected an "
                "ordinary .xlsx", file=file)


def check_gzip(path: str | Path, *, max_unpacked: int = MAX_UNPACKED_BYTES,
               max_ratio: float = MAX_RATIO) -> None:
    """Refuse a .gz that unpacks to more than `max_unpacked` bytes or packs its text more
    than `max_ratio` times (a gzip bomb). Unpacks it once, in small pieces, to count."""
    file = str(path)
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
    packed = unpacked = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 16):
                packed += len(chunk)
                data = inflate.decompress(chunk, 1 << 22)
                while True:
                    unpacked += len(data)
                    if unpacked > max_unpacked or (unpacked > (64 << 20)
                                                   and unpacked > max_ratio * packed):
                        raise HistoryError(
                            f"refused: the .gz unpacks to more than {unpacked / 2**20:,.0f} MB "
                            f"from {packed / 2**20:,.1f} MB (limit {max_unpacked / 2**20:,.0f} "
                            f"MB, {max_ratio:g} times; a gzip bomb?); expected gzipped CSV text",
                            file=file)
                    if not inflate.unconsumed_tail:
                        break
                    data = inflate.decompress(inflate.unconsumed_tail, 1 << 22)
                if inflate.eof and inflate.unused_data:
                    # another gzip member follows: go on counting
                    rest = inflate.unused_data
                    inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
                    unpacked += len(inflate.decompress(rest))
    except zlib.error as exc:
        raise HistoryError(f"cannot be unpacked as gzip ({scrub(exc)})", file=file) from None


def shown_name(name: str) -> str:
    """A name from inside a file, printable and short, for messages."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return repr(clean if len(clean) <= 60 else clean[:60] + "...")


def read_columns(source: Source, headers: list[str]) -> pa.Table:
    """The named columns (exact header names) of every record, as an Arrow table."""
    if source.kind == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(source.path, columns=headers)
    elif source.kind == "excel":
        table = _read_excel(source, headers)
    else:
        table = _read_text(source, headers)
    if table.num_rows == 0:
        raise HistoryError("has a header but no data rows", file=source.file,
                           row=f"line {source.header_line}" if source.kind == "text" else None)
    return table


def _open_text(path: Path, encoding: str | None, delimiter: str | None, skip_rows: int,
               gzipped: bool) -> Source:
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
    except (OSError, EOFError) as exc:
        raise HistoryError(f"cannot be read ({scrub(exc)})", file=str(path)) from None
    if not sample.strip():
        raise HistoryError("the file is empty; expected a header row and data rows",
                           file=str(path))
    if encoding is None and b"\x00" in sample[:8192] and not sample.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise HistoryError("holds binary data, not text; expected CSV/TSV text, .csv.gz, "
                           "Excel .xlsx or Parquet", file=str(path))
    encoding = encoding or _detect_encoding(sample, path)
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except (UnicodeDecodeError, LookupError) as exc:
        raise HistoryError(f"cannot be decoded as {encoding} ({scrub(exc)}); set encoding: in the "
                           "profile", file=str(path)) from None
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if len(lines) <= skip_rows:
        raise HistoryError(f"has only {len(lines)} lines but the profile skips {skip_rows}",
                           file=str(path))
    body = lines[skip_rows:skip_rows + 200]
    while body and not body[0].strip():
        skip_rows += 1
        body = body[1:]
    delimiter = delimiter or _detect_delimiter(body)
    header = next(_csv_reader([body[0]], delimiter))
    return Source(path, "text", header, encoding=encoding, delimiter=delimiter,
                  skip_rows=skip_rows, header_line=skip_rows + 1, gzipped=gzipped)


def _detect_encoding(sample: bytes, path: Path) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise HistoryError("cannot tell the text encoding (tried UTF-8, UTF-8 with BOM, UTF-16, "
                       "GBK); set encoding: in the profile", file=str(path))


def _detect_delimiter(lines: list[str]) -> str:
    best, best_fields = ",", 1
    for delimiter in DELIMITERS:
        counts = [len(r) for r in _csv_reader(lines[:50], delimiter) if r]
        if not counts or counts[0] < 2:
            continue
        agree = sum(c == counts[0] for c in counts) / len(counts)
        if agree >= 0.9 and counts[0] > best_fields:
            best, best_fields = delimiter, counts[0]
    return best


def _arrow_encoding(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "utf8" if name in ("utf-8", "utf-8-sig") else encoding


def _csv_reader(lines, delimiter: str):
    """`csv.reader` that takes fields of any size: columns the profile does not read
    (chat transcripts, notes) may hold far more than csv's default 128 KB."""
    if csv.field_size_limit() < MAX_FIELD_BYTES:
        csv.field_size_limit(MAX_FIELD_BYTES)
    return csv.reader(lines, delimiter=delimiter)


def _read_text(source: Source, headers: list[str]) -> pa.Table:
    block = BLOCK_BYTES

    def read(encoding: str, newlines_in_values: bool = False) -> pa.Table:
        return pacsv.read_csv(
            source.path,
            read_options=pacsv.ReadOptions(encoding=_arrow_encoding(encoding),
                                           skip_rows=source.skip_rows,
                                           block_size=block),
            parse_options=pacsv.ParseOptions(delimiter=source.delimiter,
                                             newlines_in_values=newlines_in_values),
            convert_options=pacsv.ConvertOptions(
                include_columns=headers,
                column_types={h: pa.string() for h in headers},
                null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True),
        )

    try:
        return read(source.encoding)
    except pa.ArrowInvalid as exc:
        message = str(exc)
    if "straddling" in message:
        # one record is longer than a block (a huge text field): read in one block
        block = max(BLOCK_BYTES, min(source.path.stat().st_size * 4 + 1, (1 << 31) - 1))
        try:
            return read(source.encoding)
        except pa.ArrowInvalid as exc:
            message = str(exc)
    if "invalid UTF8" in message and codecs.lookup(source.encoding).name == "utf-8":
        source.encoding = "gb18030"
        source.notes.append("text is not UTF-8 throughout; read as GBK (GB18030)")
        try:
            return read(source.encoding)
        except pa.ArrowInvalid as exc:
            message = str(exc)
    _raise_shape_error(source)
    try:
        return read(source.encoding, newlines_in_values=True)
    except pa.ArrowInvalid as exc:
        raise HistoryError(f"cannot be read as {source.encoding} text separated by "
                           f"{source.delimiter!r} ({scrub(exc)})", file=source.file) from None


def _text_records(source: Source):
    """(first line number, fields) of every non-blank record after the header."""
    opener = gzip.open if source.gzipped else open
    with opener(source.path, "rt", encoding=source.encoding, errors="replace",
                newline="") as fh:
        for _ in range(source.skip_rows):
            fh.readline()
        reader = _csv_reader(fh, source.delimiter)
        last = source.skip_rows
        seen_header = False
        for fields in reader:
            first, last = last + 1, reader.line_num + source.skip_rows
            if not fields:
                continue
            if not seen_header:
                seen_header = True
                continue
            yield first, fields


def _raise_shape_error(source: Source) -> None:
    expected = len(source.headers)
    for line, fields in _text_records(source):
        if len(fields) != expected:
            raise HistoryError(
                f"has {len(fields)} fields but the header has {expected}; expected one "
                f"value per column separated by {source.delimiter!r}",
                file=source.file, row=f"line {line}")


def _scan_line_number(source: Source, index: int) -> int:
    for i, (line, _) in enumerate(_text_records(source)):
        if i == index:
            return line
    return source.header_line + index + 1


def _open_excel(path: Path, skip_rows: int, sheet: str | None) -> Source:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad workbook
        raise HistoryError(f"cannot be opened as an .xlsx workbook ({scrub(exc)})",
                           file=str(path)) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise HistoryError(f"has no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}",
                               file=str(path))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if number <= skip_rows or all(v is None or str(v).strip() == "" for v in values):
                continue
            header = ["" if v is None else str(v).strip() for v in values]
            while header and header[-1] == "":
                header.pop()
            return Source(path, "excel", header, skip_rows=skip_rows, sheet=ws.title,
                          header_line=number)
    finally:
        book.close()
    raise HistoryError("the workbook's sheet is empty; expected a header row and data rows",
                       file=str(path))


def _read_excel(source: Source, headers: list[str]) -> pa.Table:
    import openpyxl

    positions = [source.headers.index(h) for h in headers]
    values: list[list] = [[] for _ in headers]
    numbers: list[int] = []
    book = openpyxl.load_workbook(source.path, read_only=True, data_only=True,
                                  keep_links=False)
    try:
        ws = book[source.sheet]
        rows = ws.iter_rows(min_row=source.header_line + 1, values_only=True)
        for number, row in enumerate(rows, start=source.header_line + 1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            numbers.append(number)
            for out, pos in zip(values, positions, strict=True):
                out.append(row[pos] if pos < len(row) else None)
    finally:
        book.close()
    source._excel_rows = numbers
    return pa.table({h: _excel_array(v) for h, v in zip(headers, values, strict=True)})


def _excel_array(values: list) -> pa.Array:
    values = [None if isinstance(v, str) and not v.strip() else v for v in values]
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        return pa.array([None if v is None else _cell_text(v) for v in values], pa.string())


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") and hasattr(value, "day") \
            else value.isoformat()
    return str(value)

