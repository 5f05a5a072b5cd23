"""A small read-only zip reader for the check's start: the central directory and a stream of
each member, nothing else.

``suivi-check`` on a small register must start about as fast as click itself: the standard
``zipfile`` module costs more to import (with ``shutil``, ``bz2``, ``lzma``, ``importlib.util``)
than reading a whole 20-row register. What the guard and the reader need before calamine parses
a workbook is only the list of members, their declared sizes and the start of some of them;
this module gives that with ``struct`` and ``zlib``. Everything else (the update's writer and
verification, the rare trimming of far cells) uses ``zipfile``.

Members are stored or deflated, as in every .xlsx; any other method, or an encrypted member,
raises ``NotImplementedError`` as ``zipfile`` does. Inflating stops at the member's declared
size, so a declared size bounds what a stream gives.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from suivi_xlsx.xlsx.zipopen import member_name

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_STORED, _DEFLATED = 0, 8
_MAX_COMMENT = 65535


class BadZip(ValueError):
    """Not a zip, or a damaged one (the reader explains it in French)."""


@dataclass(frozen=True, slots=True)
class Member:
    """One member of the central directory (the names ``zipfile.ZipInfo`` uses)."""

    filename: str
    compress_type: int
    flag_bits: int
    compress_size: int
    file_size: int
    header_offset: int


class _Stream:
    """A member's bytes, inflated as they are read, never past its declared size."""

    def __init__(self, handle: BinaryIO, member: Member, start: int) -> None:
        self._file = handle
        self._member = member
        self._position = start
        self._left_in = member.compress_size
        self._left_out = member.file_size
        self._inflater = zlib.decompressobj(-15) if member.compress_type == _DEFLATED else None
        self._pending = b""

    def _raw(self, size: int) -> bytes:
        size = min(size, self._left_in)
        if size <= 0:
            return b""
        self._file.seek(self._position)
        data = self._file.read(size)
        if len(data) < size:
            raise EOFError("member truncated")
        self._position += size
        self._left_in -= size
        return data

    def read(self, size: int = -1) -> bytes:
        want = self._left_out if size < 0 else min(size, self._left_out)
        if want <= 0:
            return b""
        if self._inflater is None:
            out = self._raw(want)
        else:
            out = self._pending
            while len(out) < want:
                chunk = self._raw(max(65536, want))
                if not chunk:
                    out += self._inflater.flush()
                    break
                out += self._inflater.decompress(chunk, want - len(out))
                if self._inflater.unconsumed_tail:
                    # inflated enough: keep the rest of the input for the next read
                    tail = self._inflater.unconsumed_tail
                    self._position -= len(tail)
                    self._left_in += len(tail)
                    break
            out, self._pending = out[:want], out[want:]
        self._left_out -= len(out)
        return out

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *_: object) -> None:
        return None


class LiteZip:
    """The members of the zip file at ``path`` (read-only; ``with`` closes it)."""

    def __init__(self, path: Path) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close() / __exit__
        try:
            self._members = self._read_directory()
        except (struct.error, OSError, UnicodeDecodeError, EOFError) as error:
            self._file.close()
            raise BadZip(str(error)) from error
        except BaseException:
            self._file.close()
            raise

    def _read_directory(self) -> list[Member]:
        handle = self._file
        handle.seek(0, 2)
        size = handle.tell()
        tail_size = min(size, 22 + _MAX_COMMENT)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            raise BadZip("no end of central directory")
        (_, _, _, _, count, directory_size, directory_offset, _) = struct.unpack(
            "<4sHHHHIIH", tail[at : at + 22]
        )
        eocd_position = size - tail_size + at
        if 0xFFFF in (count,) or 0xFFFFFFFF in (directory_size, directory_offset):
            count, directory_size, directory_offset = self._zip64(eocd_position)
        handle.seek(directory_offset)
        directory = handle.read(directory_size)
        if len(directory) < directory_size:
            raise BadZip("central directory truncated")
        members: list[Member] = []
        position = 0
        for _ in range(count):
            header = directory[position : position + 46]
            if len(header) < 46 or header[:4] != _CENTRAL:
                raise BadZip("bad central directory entry")
            fields = struct.unpack("<4s6H3I5H2I", header)
            flags, method = fields[3], fields[4]
            compressed, uncompressed = fields[8], fields[9]
            name_length, extra_length, comment_length = fields[10], fields[11], fields[12]
            offset = fields[16]
            raw_name = directory[position + 46 : position + 46 + name_length]
            extra = directory[
                position + 46 + name_length : position + 46 + name_length + extra_length
            ]
            if 0xFFFFFFFF in (compressed, uncompressed, offset):
                uncompressed, compressed, offset = _zip64_sizes(
                    extra, uncompressed, compressed, offset
                )
            # Part names are ASCII in practice: cp437 (zip's legacy default) only otherwise.
            name = raw_name.decode("ascii") if raw_name.isascii() else member_name(raw_name, flags)
            members.append(Member(name, method, flags, compressed, uncompressed, offset))
            position += 46 + name_length + extra_length + comment_length
        return members

    def _zip64(self, eocd_position: int) -> tuple[int, int, int]:
        handle = self._file
        handle.seek(eocd_position - 20)
        locator = handle.read(20)
        if locator[:4] != _EOCD64_LOCATOR:
            raise BadZip("zip64 locator missing")
        (eocd64_offset,) = struct.unpack("<Q", locator[8:16])
        handle.seek(eocd64_offset)
        record = handle.read(56)
        if record[:4] != _EOCD64:
            raise BadZip("zip64 end of central directory missing")
        count, directory_size, directory_offset = struct.unpack("<QQQ", record[32:56])
        return count, directory_size, directory_offset

    def infolist(self) -> list[Member]:
        return list(self._members)

    def open(self, member: Member) -> _Stream:
        """A stream of ``member``'s bytes. Raises ``NotImplementedError`` for an encrypted
        member or a method other than stored or deflated, ``BadZip`` for a bad header."""
        if member.flag_bits & 0x1:
            raise NotImplementedError("encrypted member")
        if member.compress_type not in (_STORED, _DEFLATED):
            raise NotImplementedError(f"compression method {member.compress_type}")
        self._file.seek(member.header_offset)
        header = self._file.read(30)
        if len(header) < 30 or header[:4] != _LOCAL:
            raise BadZip(f"bad local header for {member.filename}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = member.header_offset + 30 + name_length + extra_length
        return _Stream(self._file, member, start)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> LiteZip:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _zip64_sizes(
    extra: bytes, uncompressed: int, compressed: int, offset: int
) -> tuple[int, int, int]:
    """The zip64 extra field's values for the fields set to 0xFFFFFFFF, in their order."""
    position = 0
    while position + 4 <= len(extra):
        tag, size = struct.unpack("<HH", extra[position : position + 4])
        if tag == 0x0001:
            data = extra[position + 4 : position + 4 + size]
            values = [struct.unpack("<Q", data[i : i + 8])[0] for i in range(0, len(data) - 7, 8)]
            found = iter(values)
            if uncompressed == 0xFFFFFFFF:
                uncompressed = next(found, uncompressed)
            if compressed == 0xFFFFFFFF:
                compressed = next(found, compressed)
            if offset == 0xFFFFFFFF:
                offset = next(found, offset)
            break
        position += 4 + size
    return uncompressed, compressed, offset
