"""Atomic file writes: write to a temporary file beside the target, then rename over it.

A reader never sees a half-written file, and a failed write leaves the old file in place.
:func:`staged` does the same for several outputs of one run: all of them are made first, and
only then do they replace their targets, so a run that fails half-way changes none.

Temporary files and staging folders are named ``.<target name>.<pid>-<random>.tmp``. A process
killed mid-write (SIGKILL, power loss) cannot remove its own; the next write to the same target
does (:func:`clean_debris`): only names of that pattern, beside that target, whose process is
gone, so a concurrent writer's files are left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from geomap.errors import OutputError

#: Debris of the old naming (``.<name>.<random>.tmp``, no process id) is removed after this long.
LEGACY_DEBRIS_SECONDS = 600
#: A temporary file whose process id is in use is still removed after this long (the id was reused).
STALE_DEBRIS_SECONDS = 24 * 3600


def _prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}-"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return True  # cannot tell (e.g. Windows): keep the file
    return True


def clean_debris(target: str | os.PathLike) -> list[Path]:
    """Remove temporary files and staging folders that killed writes of ``target`` left beside it.

    Only ``.<target name>.<pid>-<random>.tmp`` entries whose process no longer runs (or that are a
    day old) and old-style ``.<target name>.<random>.tmp`` entries older than ten minutes are
    removed. Returns what was removed; errors are ignored (cleaning never fails a run).
    """
    target = Path(target)
    name = re.escape(target.name)
    ours = re.compile(rf"^\.{name}\.(\d+)-[A-Za-z0-9_]{{8}}\.tmp$")
    legacy = re.compile(rf"^\.{name}\.[A-Za-z0-9_]{{8}}\.tmp$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = ours.match(entry.name)
        if match is None and not legacy.match(entry.name):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if match is not None:
            if _pid_alive(int(match.group(1))) and age < STALE_DEBRIS_SECONDS:
                continue
        elif age < LEGACY_DEBRIS_SECONDS:
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_debris(target)
        fd, tmp = tempfile.mkstemp(prefix=_prefix(target), suffix=".tmp", dir=target.parent)
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
                t.parent.mkdir(parents=True, exist_ok=True)
                clean_debris(t)
                if key not in folders:
                    folders[key] = Path(tempfile.mkdtemp(prefix=_prefix(t), suffix=".tmp", dir=t.parent))
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
