"""Atomic file writes: write to a temporary file beside the target, then rename over it.

A reader never sees a half-written file, and a failed write leaves the old file in place.
:func:`staged` does the same for several outputs of one run: all of them are made first, and
only then do they replace their targets, so a run that fails half-way changes none.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from geomap.errors import OutputError


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp makes the file private (0600); give it the mode a plain open() would.
    os.chmod(tmp_path, _mode_for(target))
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OSError):  # disk full, permissions: one line for the user
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777  # keep an existing file's permissions
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_data(target: str | os.PathLike, data: str | bytes) -> Path:
    """Write text (as UTF-8) or bytes to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(target)


def write_text(target: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(target)


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


@contextlib.contextmanager
def staged(targets: Iterable[str | os.PathLike]) -> Iterator[list[Path]]:
    """Yield one staging path per target; on success all of them replace their targets at once.

    A staging path has its target's own name (so writers that name things after the file, such
    as a GeoPackage layer, see the final name), inside a hidden folder beside the target, on the
    same file system. Any writer can fill it. If the block raises, or leaves a staging path
    unwritten, no target is touched. The staging folders are removed either way.
    """
    targets = [Path(t) for t in targets]
    seen: dict[Path, Path] = {}
    for t in targets:
        key = t.resolve()
        if key in seen:
            raise OutputError(f"{t}: the same file is given for two outputs")
        seen[key] = t
    folders: dict[Path, Path] = {}
    try:
        try:
            for t in targets:
                key = t.parent.resolve()
                if key not in folders:
                    t.parent.mkdir(parents=True, exist_ok=True)
                    folders[key] = Path(tempfile.mkdtemp(prefix=f".{t.name}.", suffix=".tmp", dir=t.parent))
        except OSError as exc:
            raise OutputError(f"cannot write {t}: {exc.strerror or exc}") from exc
        paths = [folders[t.parent.resolve()] / t.name for t in targets]
        yield paths
        for src, dst in zip(paths, targets):
            if not src.is_file():
                raise OutputError(f"cannot write {dst}: nothing was made")
        for src, dst in zip(paths, targets):
            try:
                os.chmod(src, _mode_for(dst))
                os.replace(src, dst)
            except OSError as exc:
                raise OutputError(f"cannot write {dst}: {exc.strerror or exc}") from exc
    finally:
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)
