"""A CSV export cut into its physical lines, as a stream: each line's number and bytes, in Parquet.

Why not DuckDB's CSV reader: it numbers no rows, skips blank lines without a trace and, on a
line it cannot parse, either stops or leaves out the line and shifts every row after it; the
store needs the line of every rejected row, as a text editor numbers it. So this module does one
thing, in bounded memory: it cuts the bytes at each ``\\n`` (numpy finds them; pyarrow wraps the
chunk without copying), transcoding CP1251 and UTF-16 to UTF-8 on the way, and leaves out the
blank lines (nothing but spaces, tabs and line ends: no record), so their numbers are simply not
there. Decoding, splitting into fields with CSV quoting and every check are SQL
(``sql/split_lines.sql``), so they run in DuckDB at any size. Line 1 (the header) is cut too;
the SQL skips it.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from oneclick.ingest.dialect import TableSource

CHUNK_BYTES = 8 << 20
# No line of the store's tables comes near this; a longer one is reported, not read.
MAX_LINE_BYTES = 16 << 20
LINES_SCHEMA = pa.schema([("line", pa.int64()), ("text", pa.binary())])
_NEWLINE = 10
_BLANK_BYTES = (9, 10, 13, 32)  # tab, line feed, carriage return, space


@dataclass(frozen=True)
class CutFile:
    """Where the lines of one CSV export went, and what cutting them found."""

    path: Path  # Parquet: ``line`` (1 = the header) and ``text`` (the line's UTF-8 bytes, line end included)
    sha256: str  # of the file as given
    last_line: int  # number of the file's last line
    too_long: tuple[int, ...]  # lines longer than MAX_LINE_BYTES, left out of ``path``


def cut_lines(source: TableSource, out_path: Path) -> CutFile:
    """Write every line of ``source`` (a CSV file) with its number to ``out_path``.

    >>> cut = cut_lines(source, Path("work/market_file.lines.parquet"))  # doctest: +SKIP
    >>> cut.last_line  # doctest: +SKIP
    1301
    """
    out_path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    transcode = _transcoder(source.encoding)
    cutter = _Cutter()
    with open(source.path, "rb") as handle, pq.ParquetWriter(out_path, LINES_SCHEMA, compression="zstd") as writer:
        cutter.write = writer.write_batch
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            cutter.feed(transcode(chunk, False))
        cutter.feed(transcode(b"", True))
        cutter.finish()
    return CutFile(out_path, digest.hexdigest(), cutter.next_line - 1, tuple(cutter.too_long))


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in chunks (hashlib lets other threads run meanwhile)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _transcoder(encoding: str) -> Callable[[bytes, bool], bytes]:
    """Bytes of the file -> UTF-8 bytes, chunk by chunk (a character may straddle two chunks)."""
    if encoding in ("utf-8", "utf-8-sig"):
        # UTF-8 is cut as it is: DuckDB decodes each line and reports the lines that are not UTF-8.
        return lambda chunk, final: chunk
    # A byte the encoding does not define becomes U+FFFD, which no check accepts: the row is
    # quarantined with the cell as read.
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return lambda chunk, final: decoder.decode(chunk, final).encode("utf-8")


class _Cutter:
    """Cuts a stream of bytes into numbered lines and writes them as Arrow batches."""

    def __init__(self) -> None:
        self.write: Callable[[pa.RecordBatch], None] = lambda batch: None
        self.next_line = 1
        self.too_long: list[int] = []
        self._carry = b""
        self._skipping = False  # inside a line too long to read, until its end

    def feed(self, data: bytes) -> None:
        if not data:
            return
        buffer = self._carry + data if self._carry else data
        ends = np.flatnonzero(np.frombuffer(buffer, dtype=np.uint8) == _NEWLINE)
        if self._skipping:
            if not len(ends):
                return
            buffer, ends = buffer[ends[0] + 1 :], ends[1:] - (ends[0] + 1)
            self._skipping = False
            self.next_line += 1
        if len(ends):
            self._emit(buffer, ends)
            buffer = buffer[ends[-1] + 1 :]
        self._carry = buffer
        if len(self._carry) > MAX_LINE_BYTES:
            self.too_long.append(self.next_line)
            self._carry, self._skipping = b"", True

    def finish(self) -> None:
        if self._skipping:
            self.next_line += 1
        elif self._carry:  # the last line has no line end
            self._emit(self._carry + b"\n", np.array([len(self._carry)]))
        self._carry = b""

    def _emit(self, buffer: bytes, ends: np.ndarray) -> None:
        n = len(ends)
        offsets = np.concatenate([[0], ends + 1]).astype(np.int32)
        text = pa.BinaryArray.from_buffers(pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(buffer)])
        lines = pa.array(np.arange(self.next_line, self.next_line + n, dtype=np.int64))
        batch = pa.RecordBatch.from_arrays([lines, text], schema=LINES_SCHEMA)
        # Bytes other than blanks, per line (every line has at least its line end, so no segment is empty).
        data = np.frombuffer(buffer, dtype=np.uint8, count=int(offsets[-1]))
        filled = np.add.reduceat(~np.isin(data, _BLANK_BYTES), offsets[:-1])
        if not filled.all():
            batch = batch.filter(pa.array(filled > 0))
        self.write(batch)
        self.next_line += n
