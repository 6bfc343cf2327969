"""Read a raw input file into a grid of cells (private helper of the loaders in impact.io).

The physical side of :func:`impact.io.calls.load_call_counts` and
:func:`impact.io.contacts.load_contact_log` (:func:`_read_grid`): decode a CSV file (UTF-8 with
or without BOM, UTF-16 with BOM, Windows-1252), detect its separator, or read one sheet of
an XLSX workbook (with merged ranges and formulas without a saved result), and check the
file against a ``SHA256SUMS`` file next to it. The result is a :class:`_Grid` of cells
with the row and column numbers a spreadsheet program shows; what the cells mean is
worked out by :mod:`impact.io._layouts`.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
from pathlib import Path

from impact._core.exceptions import DataValidationError
from impact._core.parsing import format_list, is_blank, read_input_bytes

_SUPPORTED_TEXT = (".csv", ".tsv", ".txt")
_SUPPORTED_EXCEL = (".xlsx", ".xlsm")
#: File names that mark synthetic data; such a file never loads as another kind.
_SYNTHETIC_PREFIX = "SYNTHETIC_"


# --- reading files into a grid of cells ----------------------------------------------------


@dataclasses.dataclass
class _Grid:
    """Cells of one table (CSV file or worksheet) with the numbers the user sees."""

    source: str
    cells: list[list[object]]
    merged: dict[tuple[int, int], object] = dataclasses.field(default_factory=dict)

    def value(self, r: int, c: int) -> object:
        row = self.cells[r]
        return row[c] if c < len(row) else None

    def label(self, r: int, c: int) -> object:
        """Cell value, or the value of the merged range the cell belongs to."""
        value = self.value(r, c)
        return self.merged.get((r, c), value) if is_blank(value) else value

    def is_blank_row(self, r: int) -> bool:
        return all(is_blank(v) for v in self.cells[r])

    def nonblank(self, r: int) -> list[int]:
        return [c for c, v in enumerate(self.cells[r]) if not is_blank(v)]


def _col(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _at(r: int, c: int | None = None, header: object = None) -> str:
    text = f"row {r + 1}"
    if c is not None:
        text += f", column {_col(c)}"
        if not is_blank(header):
            text += f" ({str(header).strip()!r})"
    return text


def _decode(data: bytes, source: str) -> str:
    advice = (
        "Save the table again as 'CSV UTF-8 (comma delimited)' (Excel: File > Save As) or "
        "load the .xlsx file directly."
    )
    if data.startswith(b"PK\x03\x04"):
        raise DataValidationError(
            f"{source}: this is an Excel (.xlsx) workbook, not a text CSV file; rename it "
            "to .xlsx or export it as CSV."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataValidationError(
                f"{source}: cannot decode the file as UTF-16 ({exc.reason} at byte "
                f"{exc.start}). {advice}"
            ) from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise DataValidationError(
                    f"{source}: unreadable text encoding: the bytes are neither UTF-8 "
                    f"(invalid byte 0x{data[utf8_error.start]:02x} at offset "
                    f"{utf8_error.start}) nor Windows-1252 (byte 0x{data[exc.start]:02x} at "
                    f"offset {exc.start}). {advice}"
                ) from exc
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    if bad:
        raise DataValidationError(
            f"{source}: unreadable text encoding: control character 0x{ord(bad.group()):02x} "
            f"at character {bad.start()} (a binary file or UTF-16 without BOM?). {advice}"
        )
    return text


def _split_csv(text: str, source: str) -> list[list[object]]:
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    skip_first = False
    match = re.fullmatch(r'"?sep=(.)"?', first)
    if match:
        delimiters = [match.group(1)]
        skip_first = True
    else:
        delimiters = [";", ",", "\t", "|"]
    best: tuple[int, int] = (-1, -1)
    rows: list[list[str]] = []
    for delim in delimiters:
        try:
            parsed = list(csv.reader(io.StringIO(text), delimiter=delim))
        except csv.Error as exc:
            raise DataValidationError(f"{source}: malformed CSV ({exc}).") from exc
        body = parsed[1:] if skip_first else parsed
        widths = [len(r) for r in body if any(cell.strip() for cell in r)]
        if not widths:
            score: tuple[int, int] = (0, 0)
        else:
            mode = max(set(widths), key=lambda w: (widths.count(w), w))
            score = (widths.count(mode), mode) if mode > 1 else (0, 0)
        if score > best:
            best, rows = score, parsed
    cells: list[list[object]] = []
    for i, row in enumerate(rows):
        if skip_first and i == 0:
            cells.append([])
            continue
        cells.append([None if not cell.strip() else cell.strip() for cell in row])
    return cells


def _read_xlsx(data: bytes, source: str, sheet: str | int | None) -> _Grid:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise DataValidationError(
            f"{source}: cannot read the file as an Excel workbook ({type(exc).__name__}: "
            f"{exc}). Open it in Excel or LibreOffice and save it as .xlsx (not password "
            "protected), or export the table as CSV."
        ) from exc
    names = list(book.sheetnames)
    if sheet is None:
        used = [n for n in names if any(
            not is_blank(v) for row in book[n].iter_rows(values_only=True) for v in row
        )]
        if not used:
            raise DataValidationError(f"{source}: the workbook is empty (no cell has a value).")
        if len(used) > 1:
            raise DataValidationError(
                f"{source}: the workbook has {len(used)} sheets with data "
                f"({', '.join(repr(n) for n in used)}); pass sheet='<name>' to choose one."
            )
        name = used[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise DataValidationError(
                f"{source}: sheet={sheet} is out of range; the workbook has sheets "
                f"{', '.join(repr(n) for n in names)} (numbered from 0)."
            )
        name = names[sheet]
    elif isinstance(sheet, str) and sheet in names:
        name = sheet
    else:
        raise DataValidationError(
            f"{source}: no sheet {sheet!r}; the workbook has sheets "
            f"{', '.join(repr(n) for n in names)}."
        )
    ws, wf = book[name], formulas[name]
    where = f"{source}, sheet {name!r}"
    cells: list[list[object]] = []
    problems = []
    for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True)):
        out: list[object] = []
        for c, value in enumerate(row):
            if isinstance(value, str):
                value = value.strip() or None
            if value is None:
                formula = wf.cell(row=r + 1, column=c + 1).value
                if formula is not None and not is_blank(formula):
                    problems.append(
                        f"cell {_col(c)}{r + 1} holds a formula ({str(formula)[:40]}) without "
                        "a saved result"
                    )
            out.append(value)
        cells.append(out)
    if problems:
        raise DataValidationError(
            f"{where}: {format_list(problems, 5)}. Open the file in Excel or LibreOffice and "
            "save it again so the results are stored, or paste the values."
        )
    merged: dict[tuple[int, int], object] = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(row=rng.min_row, column=rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    merged[(r - 1, c - 1)] = top
    return _Grid(where, cells, merged)


# --- checksums -----------------------------------------------------------------------------


def _verify_checksum(path: Path, digest: str) -> None:
    sums = path.parent / "SHA256SUMS"
    if not sums.is_file():
        return
    for line in sums.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) == 2 and parts[1].lstrip("*").strip() == path.name:
            if parts[0].lower() != digest:
                raise DataValidationError(
                    f"file {str(path)!r}: SHA-256 {digest} does not match {parts[0]} listed in "
                    f"{sums}; the raw file changed since it was registered. Restore the "
                    "original, or update SHA256SUMS on purpose and record why."
                )
            return



# --- one file to one grid ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _ReadFile:
    """A loader's input file read into a grid: the grid, the SHA-256 of its bytes, and
    whether its name marks synthetic data."""

    grid: _Grid
    digest: str
    is_synthetic_name: bool


def _read_grid(
    path: str | Path,
    *,
    what: str,
    kind: str | None,
    sheet: str | int | None,
    verify_checksum: bool,
) -> _ReadFile:
    """Read a loader's input file (CSV or XLSX) into a grid, with the checks every loader
    makes first: a ``SYNTHETIC_`` name refused as another kind, a supported file type, the
    ``SHA256SUMS`` entry, not empty, ``sheet`` only for workbooks. ``what`` names the file
    in messages (``"file"``, ``"contact log"``)."""
    file = Path(path)
    source = f"{what} {str(path)!r}"
    data = read_input_bytes(path, what=what, hint="Real extracts belong in data/raw/.")
    is_synthetic_name = file.name.upper().startswith(_SYNTHETIC_PREFIX)
    if is_synthetic_name and kind not in (None, "synthetic"):
        raise DataValidationError(
            f"{source}: the file name starts with {_SYNTHETIC_PREFIX!r} (synthetic data) but "
            f"kind={kind!r} was requested; synthetic data must never pass as {kind}. Load "
            "it with kind='synthetic' (or leave kind out)."
        )
    suffix = file.suffix.lower()
    if suffix not in _SUPPORTED_TEXT + _SUPPORTED_EXCEL:
        raise DataValidationError(
            f"{source}: unsupported file type {suffix or '(none)'!r}; save it as .xlsx or "
            ".csv (old .xls and .ods files: open them and save as .xlsx)."
        )
    digest = hashlib.sha256(data).hexdigest()
    if verify_checksum:
        _verify_checksum(file, digest)
    if not data.strip():
        raise DataValidationError(f"{source} is empty (0 bytes of data); export it again.")
    if suffix in _SUPPORTED_EXCEL:
        grid = _read_xlsx(data, source, sheet)
    else:
        if sheet is not None:
            raise DataValidationError(f"{source}: sheet={sheet!r} only applies to .xlsx files.")
        grid = _Grid(source, _split_csv(_decode(data, source), source))
    return _ReadFile(grid, digest, is_synthetic_name)
