"""Reading a history export (CSV/TSV, .csv.gz, Excel, Parquet) into an Arrow table.

Only the columns an import profile names are read, so customer ids and other
columns never enter memory. Text files are read by pyarrow with the encoding
(UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030) and delimiter (`,` `;` tab `|`)
detected from the first megabyte unless the profile sets them. Every record
keeps its place in the file so errors can name the line a planner sees.
"""

from __future__ import annotations

import codecs
import csv
import gzip
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from forecasting.history_errors import HistoryError

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
PARQUET_MAGIC = b"PAR1"
GZIP_MAGIC = b"\x1f\x8b"


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
        return _open_excel(path, skip_rows, sheet)
    if magic == PARQUET_MAGIC:
        import pyarrow.parquet as pq

        names = pq.read_schema(path).names
        return Source(path, "parquet", [str(n) for n in names])
    return _open_text(path, encoding, delimiter, skip_rows, gzipped=magic[:2] == GZIP_MAGIC)


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
        raise HistoryError(f"cannot be read ({exc})", file=str(path)) from None
    if not sample.strip():
        raise HistoryError("the file is empty; expected a header row and data rows",
                           file=str(path))
    encoding = encoding or _detect_encoding(sample, path)
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except (UnicodeDecodeError, LookupError) as exc:
        raise HistoryError(f"cannot be decoded as {encoding} ({exc}); set encoding: in the "
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
    header = next(csv.reader([body[0]], delimiter=delimiter))
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
        counts = [len(r) for r in csv.reader(lines[:50], delimiter=delimiter) if r]
        if not counts or counts[0] < 2:
            continue
        agree = sum(c == counts[0] for c in counts) / len(counts)
        if agree >= 0.9 and counts[0] > best_fields:
            best, best_fields = delimiter, counts[0]
    return best


def _arrow_encoding(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "utf8" if name in ("utf-8", "utf-8-sig") else encoding


def _read_text(source: Source, headers: list[str]) -> pa.Table:
    def read(encoding: str, newlines_in_values: bool = False) -> pa.Table:
        return pacsv.read_csv(
            source.path,
            read_options=pacsv.ReadOptions(encoding=_arrow_encoding(encoding),
                                           skip_rows=source.skip_rows,
                                           block_size=16 << 20),
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
                           f"{source.delimiter!r} ({exc})", file=source.file) from None


def _text_records(source: Source):
    """(first line number, fields) of every non-blank record after the header."""
    opener = gzip.open if source.gzipped else open
    with opener(source.path, "rt", encoding=source.encoding, errors="replace",
                newline="") as fh:
        for _ in range(source.skip_rows):
            fh.readline()
        reader = csv.reader(fh, delimiter=source.delimiter)
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
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad workbook
        raise HistoryError(f"cannot be opened as an .xlsx workbook ({exc})",
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
    book = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
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

