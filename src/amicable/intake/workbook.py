"""Opening an XLSX workbook with openpyxl in bounded memory, whatever the file holds.

An XLSX workbook is a ZIP archive of XML parts, and a few hundred kilobytes can inflate into
gigabytes of memory: a part that decompresses a thousand times ("zip bomb"), a row of millions of
cells, millions of style or other elements that openpyxl turns into objects. So, before openpyxl
reads anything, the archive's directory is checked (how many parts, their size once
decompressed, how much they expand); then, while openpyxl reads, every part it reads or streams
goes through a counting XML parser first, in step, which refuses the workbook as soon as what
openpyxl would hold passes a limit. Each limit is far above what a sheet of claims needs (policy,
see the constants) and together they keep the cost of reading a workbook within a few hundred
megabytes. A refusal is a :class:`WorkbookRefused` with a sentence for the person who sent it.

The counting follows what openpyxl 3.1 does (``ExcelReader``): it reads some parts whole
(manifest, workbook, relationships, properties, styles) and streams the shared strings (emptying
each ``si`` once read) and the sheets (emptying each ``row``). The tests build each kind of bomb.
"""

from __future__ import annotations

import pyexpat
import zipfile
from collections.abc import Callable
from typing import IO, Any, BinaryIO, Final

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook import Workbook
from openpyxl.xml.constants import SHARED_STRINGS

__all__ = [
    "SPREADSHEET_MAX_COLUMNS",
    "SPREADSHEET_MAX_ROWS",
    "WorkbookRefused",
    "check_archive",
    "open_workbook",
    "unreadable",
]

#: Parts of the archive (a workbook of a few sheets has about fifteen).
XLSX_MAX_PARTS: Final = 1000
#: Bytes of one part, and of all parts, once decompressed (a sheet of 100,000 lines written by a
#: spreadsheet is about 130 MB; a larger sheet goes as CSV).
XLSX_MAX_PART_BYTES: Final = 256 * 1024 * 1024
XLSX_MAX_BYTES: Final = 512 * 1024 * 1024
#: How many times a part, or the archive, may expand: spreadsheets compress 5 to 20 times, a
#: zip bomb a thousand times. Parts under a megabyte may expand more without harm.
XLSX_MAX_RATIO: Final = 100
RATIO_FROM: Final = 1024 * 1024
#: XML elements of a part that openpyxl holds until it has read the whole part: the emptied
#: shells of the rows of a sheet, or of the distinct texts of the shared strings...
XLSX_MAX_KEPT_ELEMENTS: Final = 3_000_000
#: ... and its other elements, which openpyxl turns into objects of a kilobyte or so (styles,
#: the workbook, a sheet's settings).
XLSX_MAX_OBJECT_ELEMENTS: Final = 100_000
#: XML elements inside one row of a sheet (a spreadsheet row has at most 16,384 cells of two or
#: three elements each) or one shared text, which openpyxl builds in full before reading it.
XLSX_MAX_ROW_ELEMENTS: Final = 100_000
#: A spreadsheet's own limits (Excel, LibreOffice Calc).
SPREADSHEET_MAX_ROWS: Final = 1_048_576
SPREADSHEET_MAX_COLUMNS: Final = 16_384
SPREADSHEET_MAX_CELL_CHARACTERS: Final = 32_767

# Names as the counting parser gives them (namespace, "}", local name), as openpyxl matches them.
_MAIN: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class WorkbookRefused(Exception):
    """A workbook that cannot or may not be read, with the reason for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _refused(reason: str) -> WorkbookRefused:
    return WorkbookRefused(_("The XLSX workbook is refused: %(reason)s") % {"reason": reason})


def unreadable(exc: BaseException) -> WorkbookRefused:
    """The refusal of a workbook openpyxl could not read: it raises whatever its parsing meets in
    a damaged file (ValueError, KeyError, TypeError, OverflowError, a ZIP or XML error...), and
    all of them mean the same to the person who sent it."""
    reason = str(exc)
    reason = reason if len(reason) <= 200 else f"{reason[:200]}..."
    return WorkbookRefused(
        f"The file is not a readable XLSX workbook ({reason or type(exc).__name__})."
    )


# --- the archive's directory -------------------------------------------------------------------


def check_archive(stream: BinaryIO) -> None:
    """Refuse an archive whose parts are too many, too large or expand too much, from its ZIP
    directory alone: nothing is decompressed (Python's ZIP reader never inflates a part beyond
    the size the directory declares: it stops there, with a CRC error)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise unreadable(exc) from None
    finally:
        stream.seek(0)
    if len(parts) > XLSX_MAX_PARTS:
        raise _refused(
            _("it holds %(count)s parts, more than %(limit)s.")
            % {
                "count": number_format(len(parts), force_grouping=True),
                "limit": number_format(XLSX_MAX_PARTS, force_grouping=True),
            }
        )
    total = compressed = 0
    for part in parts:
        total += part.file_size
        compressed += part.compress_size
        if part.file_size > XLSX_MAX_PART_BYTES:
            raise _too_large(
                _("its part %(name)s takes more than %(limit)s once decompressed.")
                % {"name": part.filename[:100], "limit": filesizeformat(XLSX_MAX_PART_BYTES)}
            )
        if total > XLSX_MAX_BYTES:
            raise _too_large(
                _("it takes more than %(limit)s once decompressed.")
                % {"limit": filesizeformat(XLSX_MAX_BYTES)}
            )
        if part.file_size > RATIO_FROM and part.file_size > XLSX_MAX_RATIO * part.compress_size:
            raise _expands(part.filename, part.file_size, part.compress_size)
    if total > RATIO_FROM and total > XLSX_MAX_RATIO * compressed:
        raise _expands("", total, compressed)


def _too_large(reason: str) -> WorkbookRefused:
    return _refused(f"{reason} {_('Save the sheet as CSV UTF-8, or split it.')}")


def _expands(name: str, size: int, compressed: int) -> WorkbookRefused:
    values = {
        "name": name[:100],
        "compressed": filesizeformat(compressed),
        "size": filesizeformat(size),
        "limit": XLSX_MAX_RATIO,
    }
    if name:
        reason = _(
            "its part %(name)s expands from %(compressed)s to %(size)s, more than %(limit)s "
            "times: no spreadsheet compresses that well, a file built to exhaust the server's "
            "memory does."
        )
    else:
        reason = _(
            "it expands from %(compressed)s to %(size)s, more than %(limit)s times: no "
            "spreadsheet compresses that well, a file built to exhaust the server's memory does."
        )
    return _refused(reason % values)


# --- the parts, as openpyxl reads them ---------------------------------------------------------

Feed = Callable[[bytes, bool], None]


def _counter(name: str, container: str | None, objects: list[int]) -> Feed:
    """A function to give a part's bytes to, in step with openpyxl's reading of them, that
    refuses the workbook as soon as what openpyxl holds of the part would pass a limit.

    ``container`` is the element openpyxl reads and then empties (a sheet's ``row``, a shared
    text's ``si``): what is inside one is held only until it is read; the rest is held until the
    whole part is read, the emptied shells and the other elements, which become objects, counted
    in ``objects`` (one count for all the parts openpyxl keeps, one for each part it streams).
    The handlers are closures over local counts (they run for every element of a sheet: a third
    faster than methods).
    """
    wanted = None if container is None else _MAIN + container
    depth = container_depth = containers = inside = shells = 0
    broken = False

    def start(element: str, _attributes: object) -> None:
        nonlocal depth, container_depth, containers, inside, shells
        depth += 1
        if container_depth:
            inside += 1
            if inside > XLSX_MAX_ROW_ELEMENTS:
                raise _crowded(name, container or "", containers)
        elif element == wanted:
            container_depth = depth
            containers += 1
            inside = 0
            shells += 1
            if shells > XLSX_MAX_KEPT_ELEMENTS:
                raise _too_many(name, XLSX_MAX_KEPT_ELEMENTS)
        else:
            objects[0] += 1
            if objects[0] > XLSX_MAX_OBJECT_ELEMENTS:
                raise _too_many(name, XLSX_MAX_OBJECT_ELEMENTS)

    def end(_element: str) -> None:
        nonlocal depth, container_depth
        if depth == container_depth:
            container_depth = 0
        depth -= 1

    def declaration(*_args: object) -> None:
        raise _refused(
            _("its part %(name)s declares a DTD, which no spreadsheet does.") % {"name": name[:100]}
        )

    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.ordered_attributes = True  # a list is cheaper to build than a dict, and never read
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = declaration
    parser.EntityDeclHandler = declaration

    def feed(data: bytes, final: bool) -> None:  # noqa: FBT001 (positional, as a Feed)
        nonlocal broken
        if broken:
            return
        try:
            parser.Parse(data, final)
        except (pyexpat.ExpatError, LookupError, ValueError):
            # Not well-formed: openpyxl, reading the same bytes, stops at the same place with an
            # error of its own.
            broken = True

    return feed


def _crowded(name: str, container: str, number: int) -> WorkbookRefused:
    if container == "row":
        reason = _(
            "row %(number)s of its part %(name)s holds more than %(limit)s XML elements, where "
            "a spreadsheet row has at most %(most)s cells."
        )
        most = SPREADSHEET_MAX_COLUMNS
    else:
        reason = _(
            "text %(number)s of its part %(name)s holds more than %(limit)s XML elements, where "
            "a spreadsheet cell has at most %(most)s characters."
        )
        most = SPREADSHEET_MAX_CELL_CHARACTERS
    return _refused(
        reason
        % {
            "number": number_format(number, force_grouping=True),
            "name": name[:100],
            "limit": number_format(XLSX_MAX_ROW_ELEMENTS, force_grouping=True),
            "most": number_format(most, force_grouping=True),
        }
    )


def _too_many(name: str, limit: int) -> WorkbookRefused:
    return _too_large(
        _("its part %(name)s brings it over %(limit)s XML elements of one kind.")
        % {"name": name[:100], "limit": number_format(limit, force_grouping=True)}
    )


class _CountedPart:
    """A part openpyxl streams (a sheet, the shared strings), counted as it is read."""

    def __init__(self, part: IO[bytes], feed: Feed) -> None:
        self.part = part
        self.feed = feed

    def read(self, size: int = -1) -> bytes:
        data = self.part.read(size)
        self.feed(data, not data and size != 0)
        return data

    def close(self) -> None:
        self.part.close()

    def __enter__(self) -> _CountedPart:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _CountedArchive:
    """The workbook's ZIP archive as openpyxl reads it: every part is counted on its way in.

    Parts it reads whole (``read``) become objects it keeps: all their elements count as such,
    together. Parts it streams (``open``) are the shared strings (read first, at the name the
    manifest gives) and the sheets, each counted on its own (what it holds goes with it).
    """

    def __init__(self, archive: zipfile.ZipFile, strings: Callable[[], str | None]) -> None:
        self.archive = archive
        self.strings = strings
        self.strings_read = False
        self.objects = [0]

    def read(self, name: str) -> bytes:
        data = self.archive.read(name)
        _counter(name, None, self.objects)(data, True)  # noqa: FBT003 (positional only)
        return data

    def open(self, name: str, *args: Any, **kwargs: Any) -> _CountedPart:
        container = "row"
        if not self.strings_read and name == self.strings():
            self.strings_read, container = True, "si"
        part = self.archive.open(name, *args, **kwargs)
        return _CountedPart(part, _counter(name, container, [0]))

    def __getattr__(self, attribute: str) -> Any:  # namelist, close, filename...
        return getattr(self.archive, attribute)


def open_workbook(stream: BinaryIO) -> Workbook:
    """``openpyxl.load_workbook(stream, read_only=True, data_only=True)`` within the limits above:
    the archive is checked first, then each part is counted as openpyxl reads it, and so is each
    sheet as it is iterated. Links to other workbooks (which carry sheets of their own) are left
    out. Raises :class:`WorkbookRefused`, also for any file openpyxl cannot read."""
    check_archive(stream)
    try:
        reader = ExcelReader(stream, read_only=True, data_only=True, keep_links=False)

        def strings() -> str | None:
            found = reader.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
            return None if found is None else str(found.PartName[1:])

        # openpyxl reads and opens parts and asks for their names; nothing else of the ZipFile.
        reader.archive = _CountedArchive(reader.archive, strings)  # type: ignore[assignment]
        reader.read()
    except WorkbookRefused:
        raise
    except Exception as exc:  # any parsing error: see unreadable
        raise unreadable(exc) from None
    workbook: Workbook = reader.wb
    return workbook
