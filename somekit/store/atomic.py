"""Atomic writes: a file is either the previous complete version or the new complete one."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

import orjson


@functools.cache
def _umask() -> int:
    """The process umask. Reading it means setting it, so it is read once (the first write)."""
    try:  # Linux 4.7+: readable without touching it
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Mode of a newly written file: what open() would give (0666 less the umask)."""
    return 0o666 & ~_umask()


def dir_mode() -> int:
    """Mode of a newly made folder (0777 less the umask): for mkdtemp staging folders (0700) that
    are renamed into place."""
    return 0o777 & ~_umask()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to `target`; rename it over `target` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix + ".tmp", dir=target.parent)
    # mkstemp makes 0600 files; the renamed result must look like any file the user writes.
    os.fchmod(fd, file_mode())
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # fsync so a crash right after the rename cannot leave an empty file behind.
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: str | os.PathLike, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def write_json(target: str | os.PathLike, obj: Any) -> None:
    """Pretty, key-sorted JSON (stable bytes for identical content)."""
    write_bytes(target, orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS) + b"\n")


def read_json(path: str | os.PathLike) -> Any:
    return orjson.loads(Path(path).read_bytes())


def replace_all(pairs: list[tuple[Path, Path]]) -> None:
    """Rename several finished temporary files over their targets as one step: if any rename
    fails, the targets already replaced are put back (from hard links taken first) and targets
    that did not exist before are removed, so readers see all old files or all new ones."""
    token = os.urandom(4).hex()
    backups: list[tuple[Path, Path]] = []
    done: list[Path] = []
    try:
        for _, target in pairs:
            if target.exists():
                bak = target.with_name(f".{target.name}.{token}.bak")
                os.link(target, bak)
                backups.append((bak, target))
        for tmp, target in pairs:
            os.replace(tmp, target)
            done.append(target)
    except BaseException:
        restored = {t for _, t in backups}
        for bak, target in backups:
            if target in done:
                os.replace(bak, target)
        for target in done:
            if target not in restored:
                target.unlink(missing_ok=True)
        raise
    finally:
        for bak, _ in backups:
            bak.unlink(missing_ok=True)
