"""Open a ZIP container (DOCX/ODT) defensively: entry count, central
directory size and total uncompressed size are checked from the headers
before anything is read, names are checked for path tricks, and every read is
counted against the same uncompressed budget (headers can lie)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import IO

from flask_babel import lazy_gettext as _l

from competition.uploads.errors import UploadRejected
from competition.uploads.model import UploadLimits

_CD_BYTES_PER_ENTRY = 46 + 1024  # fixed header + a generous name/extra/comment
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
)


def damaged() -> UploadRejected:
    return UploadRejected(
        "document.damaged",
        _l(
            "The document file is damaged and cannot be read. Open it in your word processor, save it again and upload the new file."
        ),
    )


def _too_big(limits: UploadLimits) -> UploadRejected:
    return UploadRejected(
        "document.too_large",
        _l(
            "The document is too large once unpacked (the limit is %(max)d MB). "
            "Remove large pictures or save the text as PDF, then upload it again.",
            max=limits.max_zip_uncompressed // (1024 * 1024),
        ),
    )


def _too_many(limits: UploadLimits) -> UploadRejected:
    return UploadRejected(
        "document.too_many_entries",
        _l(
            "The document is made of too many parts (the limit is %(max)d). Save it again as a normal document or as PDF and upload it again.",
            max=limits.max_zip_entries,
        ),
    )


def central_directory(data: bytes) -> tuple[int, int]:
    """(entry count, central directory size) from the end-of-central-directory
    record (ZIP64 aware), read before the ZIP is parsed."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        raise damaged()
    _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<HHHHIIH", data[at + 4 : at + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        loc = at - 20
        if loc < 0 or data[loc : loc + 4] != b"PK\x06\x07":
            raise damaged()
        (z64,) = struct.unpack("<Q", data[loc + 8 : loc + 16])
        if data[z64 : z64 + 4] != b"PK\x06\x06" or z64 + 56 > len(data):
            raise damaged()
        entries, cd_size = struct.unpack("<QQ", data[z64 + 32 : z64 + 48])
    return entries, cd_size


class SafeZip:
    def __init__(self, data: bytes, limits: UploadLimits) -> None:
        self.limits = limits
        entries, cd_size = central_directory(data)
        if entries > limits.max_zip_entries or cd_size > limits.max_zip_entries * _CD_BYTES_PER_ENTRY:
            raise _too_many(limits)
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
        except _READ_ERRORS:
            raise damaged() from None
        infos = self.zf.infolist()
        if len(infos) > limits.max_zip_entries:  # the end record lied
            raise _too_many(limits)
        if sum(i.file_size for i in infos) > limits.max_zip_uncompressed:
            raise _too_big(limits)
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if unsafe_name(info.orig_filename):
                raise UploadRejected(
                    "document.unsafe_names",
                    _l(
                        "The document contains parts with unsafe names. Open it in your word processor, save it again as a new file and upload that."
                    ),
                )
            if info.filename in self.infos:
                raise damaged()  # duplicate names: different readers see different files
            if info.flag_bits & 0x1:
                raise UploadRejected(
                    "document.encrypted",
                    _l("The document is protected with a password. Save a copy without a password and upload that."),
                )
            self.infos[info.filename] = info
        self.budget = limits.max_zip_uncompressed

    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, name: str, limit: int | None = None) -> bytes:
        """The whole entry (or its first ``limit`` bytes), counted against the budget."""
        stream = self.open(name)
        try:
            return stream.read() if limit is None else stream.read(limit)
        finally:
            stream.close()

    def open(self, name: str) -> IO[bytes]:
        if name not in self.infos:
            raise damaged()  # a required part is missing
        try:
            return _Counted(self.zf.open(self.infos[name]), self)
        except _READ_ERRORS:
            raise damaged() from None

    def charge(self, n: int) -> None:
        self.budget -= n
        if self.budget < 0:
            raise _too_big(self.limits)


class _Counted(io.RawIOBase):
    """A read-only stream over one entry that charges every byte read."""

    def __init__(self, inner: IO[bytes], owner: SafeZip) -> None:
        self.inner, self.owner = inner, owner

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunks = []
        remaining = size if size is not None and size >= 0 else None
        while remaining is None or remaining > 0:
            want = 1 << 16 if remaining is None else min(remaining, 1 << 16)
            try:
                chunk = self.inner.read(want)
            except _READ_ERRORS:
                raise damaged() from None
            if not chunk:
                break
            self.owner.charge(len(chunk))
            chunks.append(chunk)
            if remaining is not None:
                remaining -= len(chunk)
        return b"".join(chunks)

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


def unsafe_name(name: str) -> bool:
    """Zip-slip and friends: absolute paths, drive letters, .. segments, NUL,
    backslashes (a Windows separator inside a ZIP name)."""
    if not name or "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or (len(name) > 1 and name[0].isalpha() and name[1] == ":"):
        return True
    return any(part == ".." for part in name.split("/"))
