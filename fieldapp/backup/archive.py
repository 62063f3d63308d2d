"""The backup archive: a .tar.gz whose manifest.json lists every other member with its SHA-256
and size. Writing hashes exactly the bytes that go into the archive; reading never trusts a
member name (no absolute paths, no '..', regular files only) and hashes while it extracts
into a staging folder, so nothing outside that folder is written before the archive is known
to be intact."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

ARCHIVE_FORMAT = "fieldapp-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
# Top-level folders a member may live in; anything else is refused on restore.
MEMBER_ROOTS = (DATABASE_DIR, MEDIA_DIR)
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot go on; the message is for the operator (Spanish)."""


class ArchiveRejected(BackupError):
    """The archive is damaged, altered or unsafe; nothing was restored."""


@dataclass(frozen=True)
class FileEntry:
    path: str
    sha256: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True)
class Manifest:
    created_at: str
    app_version: str
    alembic_revision: str
    database_backend: str
    database_file: str
    record_counts: dict[str, int]
    files: tuple[FileEntry, ...] = field(default=())

    @property
    def media_files(self) -> tuple[FileEntry, ...]:
        return tuple(e for e in self.files if e.path.startswith(MEDIA_DIR + "/"))

    @property
    def total_records(self) -> int:
        return sum(self.record_counts.values())

    def to_json(self) -> bytes:
        document = {
            "format": ARCHIVE_FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "alembic_revision": self.alembic_revision,
            "database": {"backend": self.database_backend, "file": self.database_file},
            "record_counts": self.record_counts,
            "files": [e.as_json() for e in self.files],
        }
        return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            doc = json.loads(raw.decode("utf-8"))
            if doc.get("format") != ARCHIVE_FORMAT:
                raise ValueError("format")
            if doc.get("format_version") != FORMAT_VERSION:
                raise ArchiveRejected(
                    f"Versión de formato de respaldo no admitida: {doc.get('format_version')!r}."
                )
            files = tuple(
                FileEntry(path=str(safe_member_name(e["path"])), sha256=str(e["sha256"]).lower(),
                          size=int(e["size"]))
                for e in doc["files"]
            )
            manifest = cls(
                created_at=str(doc["created_at"]),
                app_version=str(doc["app_version"]),
                alembic_revision=str(doc["alembic_revision"]),
                database_backend=str(doc["database"]["backend"]),
                database_file=str(safe_member_name(doc["database"]["file"])),
                record_counts={str(k): int(v) for k, v in doc["record_counts"].items()},
                files=files,
            )
        except ArchiveRejected:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ArchiveRejected("El manifiesto del respaldo no es válido.") from exc
        if len({e.path for e in files}) != len(files):
            raise ArchiveRejected("El manifiesto del respaldo lista un archivo dos veces.")
        if manifest.database_file not in {e.path for e in files}:
            raise ArchiveRejected("El manifiesto no lista el archivo de la base de datos.")
        return manifest


def safe_member_name(name: str) -> PurePosixPath:
    """The member name as a relative path inside one of MEMBER_ROOTS, or ArchiveRejected.

    Path traversal is the danger: an absolute name or a '..' would let an archive write
    anywhere the restoring user may write."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        raise ArchiveRejected(f"Nombre de archivo no permitido en el respaldo: {name!r}.")
    path = PurePosixPath(name)
    if path.is_absolute():
        raise ArchiveRejected(f"El respaldo contiene una ruta absoluta: {name!r}. No se restauró nada.")
    if any(part in ("..", ".", "") for part in name.split("/")):
        raise ArchiveRejected(f"El respaldo contiene una ruta no permitida: {name!r}. No se restauró nada.")
    if str(path) != MANIFEST_NAME and (len(path.parts) < 2 or path.parts[0] not in MEMBER_ROOTS):
        raise ArchiveRejected(f"El respaldo contiene un archivo inesperado: {name!r}. No se restauró nada.")
    return path


class _HashingReader:
    """Reads a file and hashes exactly the bytes handed out (what goes into the archive)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


class ArchiveWriter:
    """Writes `<final>.partial` and renames it to the final name only when complete, so a
    crash never leaves something that looks like a finished backup. Mode 0600: the archive
    holds personal data and password hashes."""

    def __init__(self, final_path: Path) -> None:
        self.final_path = final_path
        self.partial_path = final_path.with_name(final_path.name + ".partial")
        self.entries: list[FileEntry] = []
        fd = os.open(self.partial_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._raw = os.fdopen(fd, "wb")
        # Level 6: media are mostly JPEG, which does not compress; 9 would only cost time.
        # Closed by commit() or abort(), which every caller reaches (try/except BaseException).
        self._tar = tarfile.open(fileobj=self._raw, mode="w:gz", compresslevel=6,  # noqa: SIM115
                                 format=tarfile.PAX_FORMAT)

    def _info(self, name: str, size: int, mtime: float) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(mtime), 0o600
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    def add_file(self, source: Path, name: str) -> FileEntry:
        safe_member_name(name)
        with open(source, "rb") as handle:
            stat = os.fstat(handle.fileno())
            reader = _HashingReader(handle)
            self._tar.addfile(self._info(name, stat.st_size, stat.st_mtime), reader)  # type: ignore[arg-type]
        entry = FileEntry(name, reader.digest.hexdigest(), reader.count)
        self.entries.append(entry)
        return entry

    def add_manifest(self, data: bytes, mtime: float) -> None:
        self._tar.addfile(self._info(MANIFEST_NAME, len(data), mtime), io.BytesIO(data))

    def commit(self) -> Path:
        self._tar.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self.partial_path, self.final_path)
        return self.final_path

    def abort(self) -> None:
        try:
            self._tar.close()
        finally:
            self._raw.close()
            self.partial_path.unlink(missing_ok=True)


def extract_to_staging(archive: Path, staging: Path) -> tuple[Manifest, dict[str, FileEntry]]:
    """Extracts every member under `staging`, hashing as it goes. Returns the manifest and
    what was actually found; `verify` compares them. Refuses unsafe members outright."""
    found: dict[str, FileEntry] = {}
    manifest_raw: bytes | None = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in _members(tar):
                name = str(safe_member_name(member.name))
                if name in found or (name == MANIFEST_NAME and manifest_raw is not None):
                    raise ArchiveRejected(f"El respaldo contiene dos veces {name!r}. No se restauró nada.")
                source = tar.extractfile(member)
                assert source is not None  # regular file, checked in _members
                if name == MANIFEST_NAME:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise ArchiveRejected("El manifiesto del respaldo es demasiado grande.")
                    manifest_raw = source.read()
                    continue
                found[name] = _stage(source, staging / name, name)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise ArchiveRejected(f"El archivo no es un respaldo legible ({exc}). No se restauró nada.") from exc
    except OSError as exc:  # includes gzip.BadGzipFile, and a full disk while staging
        raise ArchiveRejected(f"No se pudo leer o desempaquetar el respaldo ({exc}). "
                              "No se restauró nada.") from exc
    if manifest_raw is None:
        raise ArchiveRejected("El respaldo no contiene manifest.json. No se restauró nada.")
    return Manifest.from_json(manifest_raw), found


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    for member in tar:
        if member.isdir():
            # Folder entries (as `tar czf` writes them) carry no data, but their names are
            # still checked: a '..' anywhere means the archive was made to escape.
            name = member.name.rstrip("/")
            if name not in MEMBER_ROOTS:
                safe_member_name(name)
            continue
        if not member.isreg():
            kind = "enlace" if member.issym() or member.islnk() else "archivo especial"
            raise ArchiveRejected(
                f"El respaldo contiene un {kind} ({member.name!r}); solo se admiten archivos "
                "regulares. No se restauró nada."
            )
        yield member


def _stage(source: IO[bytes], target: Path, name: str) -> FileEntry:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return FileEntry(name, digest.hexdigest(), size)


def verify(manifest: Manifest, found: dict[str, FileEntry]) -> None:
    """Every listed file present with its size and hash, and nothing unlisted."""
    listed = {e.path: e for e in manifest.files}
    problems = [f"falta {p}" for p in sorted(listed.keys() - found.keys())]
    problems += [f"{p} no está en el manifiesto" for p in sorted(found.keys() - listed.keys())]
    problems += [
        f"{p} no coincide con su huella SHA-256"
        for p in sorted(listed.keys() & found.keys())
        if listed[p] != found[p]
    ]
    if problems:
        shown = "; ".join(problems[:5]) + (f"; y {len(problems) - 5} más" if len(problems) > 5 else "")
        raise ArchiveRejected(
            f"El respaldo está dañado o fue alterado ({shown}). No se restauró nada."
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
