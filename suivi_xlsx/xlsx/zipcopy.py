"""Rewrite a zip package replacing a few entries and copying every other one as raw bytes.

Unchanged entries keep their local header, compressed data, data descriptor and central
directory record byte for byte (only the offset field moves), in the original order. Replaced
entries keep their original header fields (date, attributes, method) with new data. Zip64
or otherwise unusual archives fall back to ``zipfile`` (same uncompressed content, recompressed).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from suivi_xlsx.xlsx import CHUNK
from suivi_xlsx.xlsx.zipopen import member_name, open_zip

#: A replaced entry's new content: bytes, or pieces written one after the other (a patched
#: sheet: views of the original part between rewritten rows), never joined into one copy.
Content = bytes | Sequence[bytes | memoryview]

_EOCD_SIG = b"PK\x05\x06"
_CENTRAL_SIG = b"PK\x01\x02"
_LOCAL_SIG = b"PK\x03\x04"
_DESCRIPTOR_SIG = b"PK\x07\x08"
_FLAG_DESCRIPTOR = 0x08
_FLAG_ENCRYPTED = 0x01
_MAX32 = 0xFFFFFFFF
_FAST_ABOVE = 8_000_000


class _Unusual(Exception):
    """The archive needs the slow path (zip64, encryption, odd layout)."""


@dataclass(slots=True)
class _Entry:
    name: str
    central: bytes  # the whole central directory record
    offset: int
    compress_size: int
    flags: int
    method: int


def _entries(data: bytes) -> tuple[list[_Entry], bytes]:
    """Central directory records and the archive comment."""
    start = data.rfind(_EOCD_SIG, max(0, len(data) - 65557))
    if start < 0:
        raise _Unusual("no end record")
    (_sig, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment_len) = struct.unpack(
        "<4sHHHHIIH", data[start : start + 22]
    )
    if disk or cd_disk or n_disk != n_total or _MAX32 in (cd_size, cd_offset) or n_total == 0xFFFF:
        raise _Unusual("multi-disk or zip64")
    comment = data[start + 22 : start + 22 + comment_len]
    entries: list[_Entry] = []
    pos = cd_offset
    for _ in range(n_total):
        if data[pos : pos + 4] != _CENTRAL_SIG:
            raise _Unusual("bad central directory")
        (flags, method, _t, _d, _crc, csize, usize, nlen, xlen, clen) = struct.unpack(
            "<HHHHIIIHHH", data[pos + 8 : pos + 34]
        )
        (offset,) = struct.unpack("<I", data[pos + 42 : pos + 46])
        if _MAX32 in (csize, usize, offset) or flags & _FLAG_ENCRYPTED:
            raise _Unusual("zip64 or encrypted entry")
        raw_name = data[pos + 46 : pos + 46 + nlen]
        name = member_name(raw_name, flags)
        end = pos + 46 + nlen + xlen + clen
        entries.append(_Entry(name, data[pos:end], offset, csize, flags, method))
        pos = end
    return entries, comment


def _local_parts(data: bytes, entry: _Entry) -> tuple[bytes, int, int]:
    """(local header bytes, start of compressed data, end of entry incl. data descriptor)."""
    pos = entry.offset
    if data[pos : pos + 4] != _LOCAL_SIG:
        raise _Unusual("bad local header")
    nlen, xlen = struct.unpack("<HH", data[pos + 26 : pos + 30])
    data_start = pos + 30 + nlen + xlen
    end = data_start + entry.compress_size
    if entry.flags & _FLAG_DESCRIPTOR:
        end += 16 if data[end : end + 4] == _DESCRIPTOR_SIG else 12
    return data[pos:data_start], data_start, end


def content_size(content: Content) -> int:
    return len(content) if isinstance(content, bytes) else sum(len(p) for p in content)


def chunks(content: Content, size: int = CHUNK) -> Iterator[bytes | memoryview]:
    """``content`` as successive pieces of about ``size`` bytes: small pieces are joined, large
    ones sliced, so that whoever consumes them (zlib, expat, a comparison) works on few, bounded
    buffers."""
    if isinstance(content, bytes):
        content = (content,)
    pending: list[bytes | memoryview] = []
    pending_size = 0
    for piece in content:
        if len(piece) >= size:
            if pending:
                yield b"".join(pending)
                pending, pending_size = [], 0
            view = memoryview(piece)
            for start in range(0, len(view), size):
                yield view[start : start + size]
            continue
        pending.append(piece)
        pending_size += len(piece)
        if pending_size >= size:
            yield b"".join(pending)
            pending, pending_size = [], 0
    if pending:
        yield b"".join(pending)


def _compress(content: Content, method: int) -> tuple[int, bytes, int, int]:
    """(method, compressed bytes, CRC-32, size) of ``content``, compressed a chunk at a time."""
    size = content_size(content)
    crc = 0
    if method == zipfile.ZIP_STORED:
        packed = content if isinstance(content, bytes) else b"".join(content)
        return method, packed, zlib.crc32(packed) & _MAX32, size
    # Large parts (a 100k-row sheet is ~50 MB of XML) get the fast level: 4x quicker, ~25 %
    # bigger; small parts the usual one.
    level = 6 if size < _FAST_ABOVE else 1
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    out: list[bytes] = []
    for piece in chunks(content):
        crc = zlib.crc32(piece, crc)
        out.append(compressor.compress(piece))
    out.append(compressor.flush())
    return zipfile.ZIP_DEFLATED, b"".join(out), crc & _MAX32, size


def _rewrite_raw(data: bytes, replacements: Mapping[str, Content]) -> bytes:
    entries, comment = _entries(data)
    out = io.BytesIO()
    central = io.BytesIO()
    for entry in entries:
        header, _data_start, end = _local_parts(data, entry)
        offset = out.tell()
        content = replacements.get(entry.name)
        if content is None:
            out.write(data[entry.offset : end])
            record = bytearray(entry.central)
        else:
            method, packed, crc, size = _compress(content, entry.method)
            if len(packed) >= _MAX32 or size >= _MAX32:
                raise _Unusual("entry too large")
            flags = entry.flags & ~_FLAG_DESCRIPTOR
            local = bytearray(header)
            struct.pack_into("<HH", local, 6, flags, method)
            struct.pack_into("<III", local, 14, crc, len(packed), size)
            out.write(local)
            out.write(packed)
            record = bytearray(entry.central)
            struct.pack_into("<HH", record, 8, flags, method)
            struct.pack_into("<III", record, 16, crc, len(packed), size)
        if offset >= _MAX32:
            raise _Unusual("archive too large")
        struct.pack_into("<I", record, 42, offset)
        central.write(record)
    cd_offset = out.tell()
    cd = central.getvalue()
    out.write(cd)
    count = len(entries)
    out.write(
        struct.pack("<4sHHHHIIH", _EOCD_SIG, 0, 0, count, count, len(cd), cd_offset, len(comment))
    )
    out.write(comment)
    return out.getvalue()


def _rewrite_zipfile(data: bytes, replacements: Mapping[str, Content]) -> bytes:
    out = io.BytesIO()
    with (
        open_zip(data) as source,
        zipfile.ZipFile(out, "w", allowZip64=True) as target,
    ):
        for info in source.infolist():
            new = replacements.get(info.filename)
            if new is None:
                target.writestr(info, source.read(info), compress_type=info.compress_type)
                continue
            # Rare (zip64 or unusual archives): the entry is streamed in, not joined.
            with target.open(info, "w", force_zip64=content_size(new) >= _MAX32) as stream:
                for piece in chunks(new):
                    stream.write(piece)
    return out.getvalue()


def rewrite_package(data: bytes, replacements: Mapping[str, Content]) -> bytes:
    """The archive ``data`` with the entries named in ``replacements`` given new content."""
    try:
        return _rewrite_raw(data, replacements)
    except (_Unusual, struct.error, UnicodeDecodeError):
        return _rewrite_zipfile(data, replacements)
