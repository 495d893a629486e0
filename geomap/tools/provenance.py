"""How a fitted artefact (the ranker, the confidence model, the recognizer) was made, recorded in
the artefact itself so that anyone can tell what it was fitted on and rebuild it (``make models``).

:func:`provenance` gathers: the git commit of the source (``"unknown"`` outside a git checkout)
and whether the tree had uncommitted changes, the gazetteer's build version with the size and
sha256 of its file, the spaCy model's name and version, the name, size and sha256 of each training
corpus (its file name only, never its folder), the command line with every path cut to its file
name, the date (UTC) and the versions of the libraries the fit used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

#: Distributions whose versions a fit depends on.
LIBRARIES = ("geomap", "numpy", "scikit-learn", "scipy", "spacy")
#: What stands for a commit outside a git checkout (or without git).
UNKNOWN = "unknown"
_CHUNK = 1 << 20


def file_digest(path: str | os.PathLike) -> dict[str, Any]:
    """A file's name (without its folder), size in bytes and sha256."""
    p = Path(path)
    digest = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return {"name": p.name, "bytes": p.stat().st_size, "sha256": digest.hexdigest()}


def git_commit(where: str | os.PathLike | None = None) -> tuple[str, bool | None]:
    """The commit checked out at ``where`` (geomap's source folder by default) and whether tracked
    files differ from it; (``"unknown"``, None) when there is no git or no checkout."""
    folder = Path(where) if where is not None else Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return UNKNOWN, None
        status = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN, None
    dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    return head.stdout.strip() or UNKNOWN, dirty


def command_line(argv: Sequence[str]) -> str:
    """``argv`` joined, each path cut to its file name (``--out=a/b.json`` -> ``--out=b.json``):
    no machine's folders in an artefact."""

    def cut(arg: str) -> str:
        if "=" in arg and arg.startswith("-"):
            flag, value = arg.split("=", 1)
            return f"{flag}={cut(value)}"
        return Path(arg).name if ("/" in arg or os.sep in arg) else arg

    return " ".join(cut(a) for a in argv)


def library_versions(names: Iterable[str] = LIBRARIES) -> dict[str, str | None]:
    """Installed versions of ``names`` (None for one that is not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def gazetteer_provenance(gazetteer) -> dict[str, Any]:
    """A gazetteer's build version (from its own meta table) and its file's size and sha256."""
    meta = getattr(gazetteer, "meta", {}) or {}
    out: dict[str, Any] = {"build_version": meta.get("build_version")}
    path = getattr(gazetteer, "path", None)
    if path is not None and Path(path).is_file():
        digest = file_digest(path)
        out.update(bytes=digest["bytes"], sha256=digest["sha256"])
    return out


def spacy_model(nlp) -> dict[str, Any]:
    """A loaded spaCy pipeline's package name (``en_core_web_sm``) and version."""
    meta = getattr(nlp, "meta", {}) or {}
    lang, name = meta.get("lang"), meta.get("name")
    return {"name": f"{lang}_{name}" if lang and name else name, "version": meta.get("version")}


def provenance(
    *,
    command: Sequence[str],
    corpora: Iterable[str | os.PathLike] = (),
    gazetteer=None,
    nlp=None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The record of how an artefact was made (see the module's docstring). ``command``: the
    command line that made it, e.g. ``["python", "-m", "geomap.resolve.training", *argv]``."""
    commit, dirty = git_commit()
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    out: dict[str, Any] = {"commit": commit, "uncommitted_changes": dirty}
    if gazetteer is not None:
        out["gazetteer"] = gazetteer_provenance(gazetteer)
    if nlp is not None:
        out["spacy_model"] = spacy_model(nlp)
    out["corpora"] = [file_digest(p) for p in corpora]
    out["command"] = command_line(command)
    out["date"] = when.isoformat()
    out["libraries"] = library_versions()
    return out
