"""``open_zip``: the standard library's ``zipfile.ZipFile``, also on packages whose member
names are not valid UTF-8 although their flag says they are.

``zipfile`` refuses such a package outright (``UnicodeDecodeError``), while Excel, LibreOffice
and python-calamine open it: a damaged ``docProps/core.xml`` entry must not make ``suivi
complete`` fail where ``suivi-check`` reads the file. The names are then read as zip's legacy
code page (cp437), a reading that never fails; the bytes of every member are untouched, and a
part we do not edit keeps its raw name in the copy (``zipcopy`` copies directory records as
bytes).
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

__all__ = ["member_name", "open_zip"]

_CENTRAL_SIG = b"PK\x01\x02"
_EOCD_SIG = b"PK\x05\x06"
_UTF8_FLAG = 0x800


def member_name(raw: bytes, flags: int) -> str:
    """A member's name as ``zipfile`` reads it, cp437 when a UTF-8 flagged name is not UTF-8."""
    if raw.isascii():
        return raw.decode("ascii")
    if flags & _UTF8_FLAG:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.decode("cp437")


def _without_false_utf8_flags(data: bytes) -> bytes:
    """``data`` with the UTF-8 flag cleared, in the central record and the local header, for
    the names that are not UTF-8."""
    out = bytearray(data)
    start = data.rfind(_EOCD_SIG, max(0, len(data) - 65557))
    if start < 0:
        return data
    count, _size, offset = struct.unpack_from("<HII", data, start + 10)
    pos = offset
    for _ in range(count):
        if data[pos : pos + 4] != _CENTRAL_SIG:
            break
        flags = struct.unpack_from("<H", data, pos + 8)[0]
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        raw = data[pos + 46 : pos + 46 + name_len]
        if flags & _UTF8_FLAG and member_name(raw, flags) != raw.decode("utf-8", "replace"):
            struct.pack_into("<H", out, pos + 8, flags & ~_UTF8_FLAG)
            local = struct.unpack_from("<I", data, pos + 42)[0]  # its local header says so too
            if data[local : local + 4] == b"PK\x03\x04":
                local_flags = struct.unpack_from("<H", data, local + 6)[0]
                struct.pack_into("<H", out, local + 6, local_flags & ~_UTF8_FLAG)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(out)


def open_zip(source: Path | str | bytes | BinaryIO) -> zipfile.ZipFile:
    """``zipfile.ZipFile(source)`` for reading, tolerant of names falsely flagged UTF-8."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        return zipfile.ZipFile(source)
    except UnicodeDecodeError:
        if isinstance(source, (str, Path)):
            data = Path(source).read_bytes()
        else:
            source.seek(0)
            data = source.read()
        return zipfile.ZipFile(io.BytesIO(_without_false_utf8_flags(data)))
