"""Data rows of a constant_memory xlsxwriter worksheet, written without xlsxwriter's
cost per cell.

xlsxwriter spends some 4 microseconds on each cell (argument checks, a named tuple, then
the cell's XML built attribute by attribute): 13 CPU seconds for the 2.8 million cells of
a 100,000-row statistics export, more than the whole export may take (10 s). RowWriter
writes each row of plain values as the very XML text that xlsxwriter writes for it (the
same bytes: tests/test_crm_action_statistics_xlsx.py compares both ways on the installed
xlsxwriter), straight into the worksheet's row data file. A row holding anything else
(control characters, texts over 16,383 characters, NaN, dates before March 1900...) goes
through xlsxwriter's public methods; so does every row when the worksheet is not in
constant_memory mode or lacks the internals RowWriter relies on (its row data file,
current row and dimensions).

RowWriter also takes rows rendered elsewhere, as that very text (write_xml_rows: the
statistics export has PostgreSQL render them), and can take the rows of its worksheet
out of xlsxwriter's hands (detach_rows) for repack_with_rows() to put them back in the
file deflated at zlib's fastest level.
"""

import os
import re
import shutil
import zipfile
from datetime import date, datetime

# Kinds of column: how a Python value is written.
NUMBER = "number"  # int or float, written with write_number()
DATETIME = "datetime"  # datetime or date, written with write_datetime()
STRING = "string"  # str, written with write_string(): a text starting with '=' stays text
BOOLEAN = "boolean"  # written with write_boolean()

_EPOCH = datetime(1899, 12, 31)
# From this day on the Excel serial number is the days since _EPOCH plus one (Excel takes
# 1900 for a leap year); earlier dates go through xlsxwriter.
_FIRST_PLAIN_DATETIME = datetime(1900, 3, 1)
_FIRST_PLAIN_DATE = date(1900, 3, 1)
# What xlsxwriter escapes in an inline string (_xHHHH_ sequences, control characters and
# the two non-characters) or writes apart (rich strings): those rows go through it.
_STRING_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LEADING_SPACE = re.compile(r"^\s")
_TRAILING_SPACE = re.compile(r"\s$")
# Longer strings may be cut by xlsxwriter (32,767 UTF-16 units): written by it.
_STRING_FAST_MAX = 16383
# Strings up to this length (names, states...) have their cell cached, per writer; the
# cache is emptied when it reaches _STRING_CACHE_MAX cells.
_STRING_CACHE_LENGTH = 200
_STRING_CACHE_MAX = 20000
# Rows kept before they are written to the worksheet's file.
_FLUSH_SIZE = 1000

_SLOW = object()


def _column_letters(col):
    letters = ""
    col += 1
    while col:
        col, remainder = divmod(col - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class RowWriter:
    """Writes rows of a worksheet, one list of values per row, a value per column.

    ``kinds`` and ``formats`` give, per column, the kind of its values (NUMBER, DATETIME,
    STRING, BOOLEAN) and the xlsxwriter Format of its cells (or None). A value of None
    leaves the cell empty. Rows must be written in increasing order, after a header row
    written with the worksheet's own methods (it gives the sheet's columns); call close()
    at the end.
    """

    def __init__(self, sheet, kinds, formats):
        self.sheet = sheet
        self.kinds = list(kinds)
        self.formats = list(formats)
        self.letters = [_column_letters(col) for col in range(len(self.kinds))]
        self.fast = self._fast_path_available(sheet)
        self.buffer = []
        self.strings = {}
        # True while a row written by xlsxwriter's methods waits in its table.
        self.public_row_pending = True
        self.last_row = None
        self.rows_written_by_xlsxwriter = 0
        self.renderers = [self._renderer(kind, cell_format) for kind, cell_format in zip(kinds, formats, strict=True)]

    @staticmethod
    def _fast_path_available(sheet):
        return (
            getattr(sheet, "constant_memory", False)
            and all(
                hasattr(sheet, name)
                for name in ("fh", "previous_row", "table", "_write_single_row", "_check_dimensions", "_opt_close")
            )
            and getattr(sheet, "excel_version", 2007) == 2007
            and bool(getattr(sheet, "row_data_filename", None))
            and not getattr(sheet, "date_1904", False)
        )

    # ------------------------------------------------------------ rendering
    def _renderer(self, kind, cell_format):
        """A function turning a value of the column into the end of its <c> element
        (what follows the cell reference), or _SLOW for xlsxwriter to write it."""
        makers = {
            STRING: self._string_renderer,
            NUMBER: self._number_renderer,
            DATETIME: self._datetime_renderer,
            BOOLEAN: self._boolean_renderer,
        }
        if kind not in makers:
            raise ValueError(f"Unknown kind of column: {kind!r}")
        return makers[kind](cell_format)

    @staticmethod
    def _style(cell_format):
        """A function giving the style attribute of the column's cells. The format's
        number is taken when its first cell is written, as xlsxwriter does: the styles
        part lists formats in that order."""
        if cell_format is None:
            return lambda: ""
        known = []

        def style():
            if not known:
                known.append(f' s="{cell_format._get_xf_index()}"')
            return known[0]

        return style

    def _string_renderer(self, cell_format):
        strings = self.strings
        style = self._style(cell_format)

        def render_string(value):
            fragment = strings.get(value)
            if fragment is None:
                fragment = self._string_fragment(value)
                if len(value) <= _STRING_CACHE_LENGTH:
                    if len(strings) >= _STRING_CACHE_MAX:
                        strings.clear()
                    strings[value] = fragment
            if cell_format is None or fragment is _SLOW:
                return fragment
            return style() + fragment

        return render_string

    def _number_renderer(self, cell_format):
        style = self._style(cell_format)

        def render_number(value):
            if value - value != 0:  # NaN or infinite
                return _SLOW
            return f"{style()}><v>{value:.16G}</v></c>"

        return render_number

    def _datetime_renderer(self, cell_format):
        style = self._style(cell_format)
        epoch_date = _EPOCH.date()

        def render_datetime(value):
            if isinstance(value, datetime):
                if value < _FIRST_PLAIN_DATETIME or value.tzinfo is not None:
                    return _SLOW
                delta = value - _EPOCH
                # The very computation of xlsxwriter's datetime_to_excel_datetime(), then
                # its day for Excel's 29 February 1900.
                number = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24) + 1
            else:
                if value < _FIRST_PLAIN_DATE:
                    return _SLOW
                number = (value - epoch_date).days + (0.0 + 0.0 / 1e6) / (60 * 60 * 24) + 1
            return f"{style()}><v>{number:.16G}</v></c>"

        return render_datetime

    def _boolean_renderer(self, cell_format):
        style = self._style(cell_format)

        def render_boolean(value):
            return f'{style()} t="b"><v>{1 if value else 0}</v></c>'

        return render_boolean

    @staticmethod
    def _string_fragment(value):
        if len(value) > _STRING_FAST_MAX or _STRING_SPECIAL.search(value):
            return _SLOW
        if value.startswith("<r>") and value.endswith("</r>"):
            return _SLOW
        preserve = ' xml:space="preserve"' if _LEADING_SPACE.search(value) or _TRAILING_SPACE.search(value) else ""
        if "&" in value or "<" in value or ">" in value:
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f' t="inlineStr"><is><t{preserve}>{value}</t></is></c>'

    def style_attribute(self, col):
        """The style attribute of the cells of column ``col`` (' s="N"' or ''), for rows
        rendered elsewhere (write_xml_rows)."""
        if self.public_row_pending:
            # The header row first: its format takes its number first, as in write_row().
            self._flush()
            self.sheet._write_single_row(self.sheet.previous_row + 1)
            self.public_row_pending = False
        cell_format = self.formats[col]
        return f' s="{cell_format._get_xf_index()}"' if cell_format is not None else ""

    def cell_end(self, col, value):
        """What follows the cell reference in the <c> element of ``value`` in column
        ``col``, or None when xlsxwriter must write it (see write_row)."""
        fragment = self.renderers[col](value)
        return None if fragment is _SLOW else fragment

    # ------------------------------------------------------------ writing
    def write_xml_rows(self, first_row, xmls, values):
        """Write rows rendered elsewhere (e.g. by the database), from ``first_row``
        (counted from 0) on: ``xmls`` holds per row its <row> element as write_row()
        would write it, or None for a row written by write_row() with the next list of
        ``values``. Only for a writer whose ``fast`` is True."""
        values = iter(values)
        start = 0
        for position, xml in enumerate([*xmls, None]):
            if xml is not None:
                continue
            # The run of rendered rows before this one, then this one through write_row.
            if position > start:
                if self.public_row_pending:
                    self._flush()
                    self.sheet._write_single_row(first_row + start)
                    self.public_row_pending = False
                self.buffer.extend(xmls[start:position])
                self.last_row = first_row + position - 1
                if len(self.buffer) >= _FLUSH_SIZE:
                    self._flush()
            if position < len(xmls):
                self.write_row(first_row + position, next(values))
            start = position + 1

    def write_row(self, row, values):
        """Write the values of one row (``row`` counted from 0, like xlsxwriter)."""
        if self.fast:
            if self.public_row_pending:
                # Writes the row xlsxwriter holds (its formats take their numbers first)
                # and makes this row the current one.
                self._flush()
                self.sheet._write_single_row(row)
                self.public_row_pending = False
            number = row + 1
            parts = [f'<row r="{number}">']
            letters = self.letters
            renderers = self.renderers
            for col, value in enumerate(values):
                if value is None:
                    continue
                fragment = renderers[col](value)
                if fragment is _SLOW:
                    break
                parts.append(f'<c r="{letters[col]}{number}"{fragment}')
            else:
                if len(parts) == 1:
                    return  # no cell: xlsxwriter writes no row either
                parts.append("</row>")
                self.buffer.append("".join(parts))
                self.last_row = row
                if len(self.buffer) >= _FLUSH_SIZE:
                    self._flush()
                return
        self._write_row_public(row, values)

    def _write_row_public(self, row, values):
        self._flush()
        sheet = self.sheet
        for col, (kind, cell_format, value) in enumerate(zip(self.kinds, self.formats, values, strict=True)):
            if value is None:
                continue
            if kind == STRING:
                sheet.write_string(row, col, value, cell_format)
            elif kind == NUMBER:
                sheet.write_number(row, col, value, cell_format)
            elif kind == DATETIME:
                sheet.write_datetime(row, col, value, cell_format)
            else:
                sheet.write_boolean(row, col, value, cell_format)
        self.public_row_pending = True
        self.last_row = None
        self.rows_written_by_xlsxwriter += 1

    def _flush(self):
        if self.buffer:
            self.sheet.fh.write("".join(self.buffer))
            self.buffer = []

    def close(self):
        """Write what is buffered and give the worksheet the dimensions of the rows
        written here."""
        self._flush()
        if self.fast and self.last_row is not None and self.kinds:
            sheet = self.sheet
            # The rows used, as xlsxwriter's write methods record them; the columns used
            # are those of the header row written by the worksheet's methods.
            sheet._check_dimensions(self.last_row, 0, ignore_col=True)
            sheet.previous_row = self.last_row

    def detach_rows(self, path):
        """Move the rows of the worksheet written so far (the header's too) to the file
        ``path``, leaving xlsxwriter an empty row data file, and return True; False (the
        rows stay) when the worksheet is not written the fast way.

        xlsxwriter copies the row data file into the worksheet part, decoding and
        encoding it again, then deflates it at zlib's default level: 17 of the 100
        seconds of a 1,000,000-row export. Detached, the rows are put back by
        repack_with_rows() at a faster level. Call after close() and before the
        workbook's close(); the worksheet's dimensions stay those of the rows written.
        """
        if not self.fast:
            return False
        sheet = self.sheet
        # The row xlsxwriter may still hold (the last row, written by its methods).
        pending_row = sheet.previous_row
        sheet._write_single_row()
        sheet.previous_row = pending_row
        sheet._opt_close()
        os.replace(sheet.row_data_filename, path)
        # Reopened by name when the workbook is closed: an empty <sheetData> element.
        with open(sheet.row_data_filename, "w", encoding="utf-8"):
            pass
        return True


# The level the worksheet holding the detached rows is deflated with: zlib's fastest,
# four times faster than its default on this XML for a file a third larger.
REPACK_LEVEL = 1
_EMPTY_SHEET_DATA = b"<sheetData></sheetData>"


def repack_with_rows(source_path, target_path, sheet, rows_path):
    """Copy the workbook ``source_path`` written by xlsxwriter to ``target_path``,
    putting into the part of worksheet ``sheet`` the rows detached to ``rows_path``
    (RowWriter.detach_rows). Returns the part's name."""
    part = f"xl/worksheets/sheet{sheet.index + 1}.xml"
    with (
        zipfile.ZipFile(source_path) as source,
        zipfile.ZipFile(target_path, "w", zipfile.ZIP_DEFLATED, compresslevel=REPACK_LEVEL) as target,
    ):
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
                continue
            head, found, tail = source.read(info).partition(_EMPTY_SHEET_DATA)
            if not found:
                raise ValueError(f"{part} has no empty <sheetData> element to put the rows in")
            size = len(head) + len(found) + os.path.getsize(rows_path) + len(tail)
            with target.open(part, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as member:
                member.write(head + b"<sheetData>")
                with open(rows_path, "rb") as rows:
                    shutil.copyfileobj(rows, member, 1 << 20)
                member.write(b"</sheetData>" + tail)
    return part
