"""Atomic, locked and confined results folders.

A study run must never lose or mix results. :func:`results_transaction` gives the run a
fresh staging folder next to the target, holds an exclusive lock on the target while the
run writes, and swaps the staging folder into place in one step only when every output
and the manifest are written. An interrupted or failed run (an exception, Ctrl-C,
SIGTERM, SIGKILL, a full disk, a missing permission) leaves the previous results exactly
as they were; the next run removes what a killed run left behind.

:func:`resolve_output_dir` is the one rule for where outputs may go: inside the project,
outside ``data/``, never the project root itself, and never a folder that holds anything
but earlier results (a run replaces the whole folder). :func:`check_synthetic_target`
keeps synthetic files under ``data/synthetic/`` and out of ``data/raw/``.

Only the standard library is used. The lock is :func:`fcntl.flock` on a sibling file
``.<name>.lock``; the swap is Linux ``renameat2(RENAME_EXCHANGE)`` through :mod:`ctypes`
when the kernel and file system offer it, and two renames with crash recovery elsewhere.

Main names
----------
resolve_output_dir
    Check a configured output folder and return its resolved path.
check_synthetic_target
    Check where a synthetic data file may be written.
is_results_dir
    Whether a folder holds results written by :mod:`impact` (its ``manifest.json``).
results_transaction, ResultsTransaction
    Context manager yielding the staging folder; commits or rolls back on exit.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import errno
import functools
import json
import logging
import os
import secrets
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from impact._core.exceptions import DataValidationError, ImpactError

try:  # POSIX only; elsewhere the lock degrades to an exclusively created file.
    import fcntl
except ImportError:  # pragma: no cover - exercised on Windows only
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "ResultsTransaction",
    "check_synthetic_target",
    "is_results_dir",
    "resolve_output_dir",
    "results_transaction",
]

_log = logging.getLogger(__name__)

#: Name of the manifest a results folder holds (written last by the study run).
MANIFEST_NAME = "manifest.json"
#: A manifest larger than this is not read when recognising a results folder.
_MAX_MANIFEST_BYTES = 64 * 1024 * 1024
#: Linux ``renameat2`` constants (``<fcntl.h>``, ``<linux/fs.h>``).
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
#: errno values meaning "this kernel or file system cannot exchange two paths".
_NO_EXCHANGE = frozenset({errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP})
_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_NO_PERMISSION = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})

Progress = Callable[[str], None]


# ----------------------------------------------------------------------- where outputs go


def _is_under(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (lexically or as the same file)."""
    if path == folder or path.is_relative_to(folder):
        return True
    if not folder.exists():
        return False
    for p in (path, *path.parents):
        try:
            if p.exists() and os.path.samefile(p, folder):  # case-insensitive file systems
                return True
        except OSError:
            continue
    return False


def is_results_dir(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder holding results written by :mod:`impact`.

    A results folder has a ``manifest.json`` that is a JSON object naming impact as its
    generator (key ``generator`` starting with ``"impact"``) or, as the manifests of
    :func:`impact.reporting.writer.build_manifest` do, recording the ``impact`` package
    version under ``packages`` next to an ``outputs`` mapping.

    Parameters
    ----------
    path : str or path-like
        The folder.

    Returns
    -------
    is_results : bool
        False for anything unreadable, missing or not written by impact.
    """
    manifest = Path(path) / MANIFEST_NAME
    try:
        if not manifest.is_file() or manifest.stat().st_size > _MAX_MANIFEST_BYTES:
            return False
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    generator = data.get("generator")
    if isinstance(generator, str) and generator.startswith("impact"):
        return True
    packages = data.get("packages")
    return isinstance(packages, dict) and "impact" in packages and isinstance(
        data.get("outputs"), dict
    )


def _holds_other_files(path: Path) -> bool:
    """Whether ``path`` is a non-empty folder that is not a results folder."""
    try:
        if not path.is_dir():
            return False
        with os.scandir(path) as entries:
            is_empty = next(entries, None) is None
    except OSError:
        return False  # unreadable: the transaction reports it with its own message
    return not is_empty and not is_results_dir(path)


def resolve_output_dir(
    value: object,
    *,
    project_root: str | os.PathLike[str],
    base: str | os.PathLike[str] | None = None,
    allow_outside: bool = False,
    key: str = "[outputs] dir",
) -> Path:
    """Check an output folder setting and return the folder's resolved path.

    Outputs go into a folder inside the project, outside ``data/`` (which holds the
    inputs) and not the project root itself. The folder may be missing, empty or hold
    earlier results: a run replaces the whole folder (see :func:`results_transaction`),
    so a folder holding anything else is refused.

    Parameters
    ----------
    value : str or path-like
        The setting as written, for example ``"results"`` or ``"out/run1"``. Relative
        paths are taken relative to ``base``.
    project_root : str or path-like
        The project's root folder (the one holding ``pyproject.toml`` and ``data/``).
    base : str or path-like, optional
        Folder relative values start from (the study file's folder); defaults to
        ``project_root``.
    allow_outside : bool, default False
        Accept a folder outside the project (the CLI's explicit ``--out``). It must be
        missing, empty or an earlier results folder; the rules for ``data/`` and the
        project root still apply.
    key : str, default "[outputs] dir"
        The setting's name, used in error messages (``"--out"`` for the CLI option).

    Returns
    -------
    folder : pathlib.Path
        The absolute folder with symbolic links resolved.

    Raises
    ------
    DataValidationError
        When the value is not a path string, is empty or ``"."``, leads outside the
        project (by ``..``, an absolute path or a symbolic link) without
        ``allow_outside``, names the project root, lies under ``data/`` or ``.git/``,
        is an existing file, or is a folder holding files other than earlier results.
        The message names ``key``, the value, what is allowed and how to fix it.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> resolve_output_dir("results", project_root=root) == (root / "results").resolve()
    True
    """
    allowed = (
        "a folder inside the project (for example 'results' or 'out/run1') that is "
        "outside data/, is not the project root, and is missing, empty or holds earlier "
        "results"
    )

    def fail(problem: str, fix: str) -> DataValidationError:
        return DataValidationError(f"{key} = {value!r} {problem}; expected {allowed}. {fix}")

    quote = 'Write the folder as a quoted string, for example dir = "results".'
    if isinstance(value, bool) or not isinstance(value, str | os.PathLike):
        raise fail(f"is a {type(value).__name__}, not a folder path", quote)
    text = os.fspath(value)
    if not isinstance(text, str):
        raise fail("is a bytes path", quote)
    if text.strip() in ("", "."):
        raise fail("names the project root itself", 'Use a subfolder such as "results".')
    if "\0" in text:
        raise fail("contains a NUL character", quote)
    if text.startswith("~"):
        raise fail("starts with '~', which is not expanded", "Write the full path instead.")
    try:
        root = Path(project_root).resolve()
        start = Path(base).resolve() if base is not None else root
        candidate = Path(text) if Path(text).is_absolute() else start / text
        lexical = Path(os.path.normpath(candidate))
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, bad names
        fix = "Fix or remove the symbolic link, or choose another name."
        raise fail(f"cannot be resolved ({exc})", fix) from exc
    if _is_under(root, resolved):
        raise fail(
            f"is the project root or a folder containing it ({resolved})",
            'Use a subfolder such as "results".',
        )
    if not _is_under(resolved, root) and not allow_outside:
        how = (
            "leads outside the project through a symbolic link"
            if _is_under(lexical, root)
            else "lies outside the project"
        )
        raise fail(
            f"{how} ({resolved})",
            "Use a relative folder such as 'results', or pass an explicit folder with --out.",
        )
    for protected, why in (("data", "which holds the inputs"), (".git", "git's own folder")):
        if _is_under(resolved, root / protected) or _is_under(lexical, root / protected):
            raise fail(
                f"lies under {protected}/ ({why})",
                'Write results elsewhere, for example dir = "results".',
            )
    if resolved.exists() and not resolved.is_dir():
        raise fail(f"is an existing file ({resolved}), not a folder", "Choose a folder name.")
    if _holds_other_files(resolved):
        raise fail(
            f"is a folder holding other files and no impact {MANIFEST_NAME} ({resolved}); "
            "a run replaces the whole folder",
            "Choose a new or empty folder, or move those files away.",
        )
    return resolved


def check_synthetic_target(
    path: str | os.PathLike[str],
    *,
    project_root: str | os.PathLike[str],
    key: str = "[data] calls",
) -> Path:
    """Check that a synthetic data file is written under ``data/synthetic/``.

    Synthetic files never go under ``data/raw/`` (which holds only untouched inputs)
    nor anywhere outside ``data/synthetic/``.

    Parameters
    ----------
    path : str or path-like
        The file to be written; relative paths are taken relative to ``project_root``.
    project_root : str or path-like
        The project's root folder.
    key : str, default "[data] calls"
        The setting's name, used in error messages.

    Returns
    -------
    path : pathlib.Path
        The absolute file path with symbolic links resolved.

    Raises
    ------
    DataValidationError
        When the path is not a path string, cannot be resolved, lies under
        ``data/raw/``, lies outside ``data/synthetic/``, or is an existing folder.
    """
    allowed = "a file under data/synthetic/"
    if isinstance(path, bool) or not isinstance(path, str | os.PathLike):
        raise DataValidationError(
            f"{key} = {path!r} is a {type(path).__name__}, not a file path; expected "
            f'{allowed}. Write it as a quoted string, e.g. "data/synthetic/calls.csv".'
        )
    try:
        root = Path(project_root).resolve()
        candidate = Path(path) if Path(path).is_absolute() else root / path
        lexical = Path(os.path.normpath(candidate))
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise DataValidationError(
            f"{key} = {os.fspath(path)!r} cannot be resolved ({exc}); expected {allowed}. "
            "Fix or remove the symbolic link, or choose another name."
        ) from exc
    shown = os.fspath(path)
    if _is_under(resolved, root / "data" / "raw") or _is_under(lexical, root / "data" / "raw"):
        raise DataValidationError(
            f"{key} = {shown!r} lies under data/raw/, which holds only untouched real inputs; "
            f"synthetic data must be {allowed}. Set it to, for example, "
            '"data/synthetic/SYNTHETIC_calls_team_month.csv".'
        )
    synthetic = root / "data" / "synthetic"
    if not (_is_under(resolved, synthetic) and resolved != synthetic):
        raise DataValidationError(
            f"{key} = {shown!r} ({resolved}) is outside data/synthetic/; synthetic data "
            f"must be {allowed}. Move the setting under data/synthetic/."
        )
    if resolved.is_dir():
        raise DataValidationError(
            f"{key} = {shown!r} is an existing folder; expected {allowed}. Name a file."
        )
    return resolved


# -------------------------------------------------------------------------------- the lock


def _now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


class _Lock:
    """An exclusive, non-blocking lock on ``path`` (flock; O_EXCL where flock is missing)."""

    def __init__(self, path: Path, target: Path) -> None:
        self.path = path
        self.target = target
        self._fd: int | None = None

    def _refuse(self, fd: int | None) -> ImpactError:
        holder = ""
        try:
            if fd is not None:
                os.lseek(fd, 0, os.SEEK_SET)
                holder = os.read(fd, 4096).decode("utf-8", "replace")
            else:
                holder = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            pass
        info = dict(line.split(" ", 1) for line in holder.splitlines() if " " in line)
        return ImpactError(
            f"another impact run is writing {self.target} (pid {info.get('pid', 'unknown')}, "
            f"started {info.get('started', 'at an unknown time')}); wait for it or remove "
            f"{self.path} if no run is active"
        )

    def acquire(self) -> None:
        if fcntl is None:  # pragma: no cover - Windows
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                raise self._refuse(None) from None
            self._own(fd)
            return
        for _ in range(20):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                err = self._refuse(fd)
                os.close(fd)
                raise err from None
            except BaseException:
                os.close(fd)
                raise
            # The holder before us may have unlinked the file between our open and flock:
            # the lock is ours only if the path still names the file we locked.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._own(fd)
                return
            os.close(fd)
        raise ImpactError(  # pragma: no cover - needs a pathological race
            f"could not take the lock {self.path} for {self.target}; another run keeps "
            "replacing it. Wait for other impact runs to finish and try again."
        )

    def _own(self, fd: int) -> None:
        self._fd = fd
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"pid {os.getpid()}\nstarted {_now()}\n".encode())

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # while still holding it, so no one locks a dead file
        os.close(self._fd)
        self._fd = None


# ------------------------------------------------------------------------ file operations


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # old glibc or another libc
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step; False when the system cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: str | os.PathLike[str]) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def _raise(exc: OSError) -> None:
    raise exc


def _fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` to disk."""
    for dirpath, _dirs, files in os.walk(root, onerror=_raise):
        for name in files:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(dirpath)


def _remove(path: Path) -> None:
    """Delete a file, link or folder tree (also one holding read-only folders)."""

    def retry(func: Callable[..., object], p: str, _exc: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(p), 0o700)
        func(p)

    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, onerror=retry)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM in this thread while a critical step runs."""
    is_main = threading.current_thread() is threading.main_thread()
    if not (is_main and hasattr(signal, "pthread_sigmask")):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Terminated(BaseException):
    """Raised by the SIGTERM handler so the transaction can roll back."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated(signum)


# ---------------------------------------------------------------------------- transaction


class ResultsTransaction:
    """Write a results folder atomically; use through :func:`results_transaction`.

    Attributes
    ----------
    target : pathlib.Path
        The results folder that is replaced on success.
    staging : pathlib.Path or None
        The folder the run writes into (``.<name>.staging-*`` next to ``target``) while
        the transaction is open.
    lock_path : pathlib.Path
        The lock file ``.<name>.lock`` next to ``target``.
    """

    def __init__(self, target: str | os.PathLike[str], *, progress: Progress | None = None):
        self.target = Path(os.path.realpath(os.path.abspath(target)))
        self.lock_path = self.target.parent / f".{self.target.name}.lock"
        self.staging: Path | None = None
        self._progress = progress
        self._lock = _Lock(self.lock_path, self.target)
        self._had_previous = False
        self._committed = False
        self._stranded: Path | None = None
        self._sigterm_installed = False
        self._old_sigterm: object = None

    # -------------------------------------------------------------------------- helpers

    def _say(self, message: str, *, important: bool = False) -> None:
        if self._progress is not None:
            self._progress(message)
        elif important:
            _log.warning(message)
        else:
            _log.info(message)

    def _unchanged(self) -> str:
        if self._stranded is not None:
            return (
                f"the previous results were moved to {self._stranded} and could not be put "
                f"back; rename it to {self.target} (the next run does so itself)"
            )
        if self._had_previous:
            return f"the previous results in {self.target} are unchanged"
        return f"nothing was written to {self.target}"

    def _os_error(self, exc: OSError, doing: str) -> ImpactError:
        where = exc.filename or self.target
        what = exc.strerror or str(exc) or type(exc).__name__
        parent = self.target.parent
        if exc.errno in _DISK_FULL:
            fix = (
                f"free disk space (or raise your quota) on the file system holding {parent}, "
                "then run again"
            )
        elif exc.errno in _NO_PERMISSION or isinstance(exc, PermissionError):
            fix = (
                f"make {parent} and {self.target} writable for this user, or choose another "
                "output folder, then run again"
            )
        elif exc.errno in (errno.EXDEV, errno.EBUSY):
            fix = (
                f"{self.target} cannot be replaced by a rename (is it a mount point?); mount "
                "its parent folder instead or choose another output folder"
            )
        else:
            fix = "fix the cause named above, then run again"
        return ImpactError(
            f"{doing} failed: {what} ({where}); {self._unchanged()}. How to fix: {fix}."
        )

    def _siblings(self, kind: str) -> list[Path]:
        prefix = f".{self.target.name}.{kind}-"
        return sorted(p for p in self.target.parent.iterdir() if p.name.startswith(prefix))

    # ---------------------------------------------------------------------------- enter

    def __enter__(self) -> Path:
        target, parent = self.target, self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except OSError as exc:
            raise self._os_error(exc, f"taking the lock {self.lock_path}") from exc
        try:
            self._recover()
            if os.path.lexists(target) and not target.is_dir():
                raise ImpactError(
                    f"{target} exists and is not a folder; a results folder was expected. "
                    "Move the file away or choose another output folder."
                )
            if _holds_other_files(target):
                raise ImpactError(
                    f"{target} holds files but no impact {MANIFEST_NAME}; a run replaces the "
                    "whole folder, so it refuses to delete them. Move them away or choose "
                    "another output folder."
                )
            self._had_previous = target.is_dir()
            self.staging = self._make_staging()
            self._install_sigterm()
        except OSError as exc:
            self._lock.release()
            raise self._os_error(exc, "preparing the results folder") from exc
        except BaseException:
            self._lock.release()
            raise
        return self.staging

    def _moved_at(self, path: Path) -> int:
        """The time stamp (ns) in a ``.<name>.previous-<ns>-<pid>`` folder name."""
        stamp = path.name[len(f".{self.target.name}.previous-") :].split("-")[0]
        return int(stamp) if stamp.isdigit() else 0

    def _recover(self) -> None:
        """Undo what killed runs left: restore a moved-away folder, delete leftovers."""
        previous = sorted(self._siblings("previous"), key=self._moved_at)
        if previous and not os.path.lexists(self.target):
            newest = previous.pop()
            os.rename(newest, self.target)
            self._say(
                f"restored the previous results in {self.target} from {newest.name}, "
                "left by a run that stopped while replacing them",
                important=True,
            )
        for leftover in self._siblings("staging") + previous:
            _remove(leftover)
            self._say(f"removed {leftover.name}, left by an interrupted run")

    def _make_staging(self) -> Path:
        for _ in range(100):
            path = self.target.parent / (
                f".{self.target.name}.staging-{os.getpid()}-{secrets.token_hex(4)}"
            )
            try:
                os.mkdir(path)  # the usual umask applies (mkdtemp would give 0o700)
            except FileExistsError:  # pragma: no cover - 32 random bits collided
                continue
            return path
        raise ImpactError(  # pragma: no cover
            f"could not create a staging folder next to {self.target}"
        )

    def _install_sigterm(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            self._old_sigterm = signal.signal(signal.SIGTERM, _on_sigterm)
            self._sigterm_installed = True

    def _restore_sigterm(self) -> None:
        if self._sigterm_installed:
            signal.signal(signal.SIGTERM, self._old_sigterm)  # type: ignore[arg-type]
            self._sigterm_installed = False

    # ----------------------------------------------------------------------------- exit

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        with _signals_deferred():
            try:
                if exc is None:
                    try:
                        self._commit()
                        return False
                    except BaseException as failure:
                        if self._committed:
                            raise
                        exc = failure
                self._discard()
                self._fail(exc)
                return False
            finally:
                self._restore_sigterm()
                self._lock.release()

    def _commit(self) -> None:
        staging, target = self.staging, self.target
        if staging is None:
            raise ImpactError("results transaction committed without being entered")
        _fsync_tree(staging)
        if not os.path.lexists(target):
            os.rename(staging, target)
            old = None
        elif _exchange(staging, target):
            old = staging  # the exchange left the previous results here
        else:
            old = target.parent / f".{target.name}.previous-{time.time_ns()}-{os.getpid()}"
            os.rename(target, old)
            try:
                os.rename(staging, target)
            except BaseException:
                try:
                    os.rename(old, target)  # put the previous results back
                except OSError:
                    self._stranded = old  # the next run puts it back (see _recover)
                raise
        self._committed = True
        self.staging = None
        _fsync_dir(target.parent)
        self._say(f"results written to {target}")
        if old is not None:
            try:
                _remove(old)
            except OSError as exc:
                self._say(
                    f"could not delete the old copy {old} ({exc}); the next run removes it",
                    important=True,
                )

    def _discard(self) -> None:
        if self.staging is None:
            return
        try:
            _remove(self.staging)
        except OSError as exc:
            self._say(
                f"could not delete the staging folder {self.staging} ({exc}); the next run "
                "removes it",
                important=True,
            )
        self.staging = None

    def _fail(self, exc: BaseException) -> None:
        """Report a failed run; raise the one error the caller sees (or let ``exc`` go)."""
        if isinstance(exc, _Terminated):
            raise ImpactError(
                f"the run was stopped (SIGTERM) before its results were complete; "
                f"{self._unchanged()}. Run again to regenerate them."
            ) from exc
        if isinstance(exc, OSError):
            raise self._os_error(exc, "writing the results") from exc
        if isinstance(exc, ImpactError) or not isinstance(exc, Exception):
            # Already a clear error, or KeyboardInterrupt / SystemExit: keep it as is.
            note = f"{self._unchanged()}."
            self._say(f"run stopped ({type(exc).__name__}); {note}", important=True)
            exc.add_note(note)
            return
        raise ImpactError(
            f"the run failed before its results were complete ({type(exc).__name__}: {exc}); "
            f"{self._unchanged()}. Fix the cause shown above and run again."
        ) from exc


def results_transaction(
    target: str | os.PathLike[str], *, progress: Progress | None = None
) -> ResultsTransaction:
    """Open an atomic, locked transaction that replaces the results folder ``target``.

    Use it as a context manager: it yields a fresh, empty staging folder next to
    ``target`` (same file system); write every output and the manifest there. When the
    ``with`` block ends normally, the files are flushed to disk and the staging folder
    replaces ``target`` in one step, so ``target`` then holds exactly this run's outputs
    (stale files from earlier runs do not survive). When it ends with an exception, the
    staging folder is deleted and ``target`` is left exactly as it was.

    Parameters
    ----------
    target : str or path-like
        The results folder; it need not exist yet. Check user-given folders with
        :func:`resolve_output_dir` first.
    progress : callable, optional
        Called with one-line messages (leftovers removed, results written, previous
        results intact after an interruption). Without it, messages go to the
        ``impact.reporting.atomic`` logger.

    Returns
    -------
    transaction : ResultsTransaction
        A context manager whose ``__enter__`` returns the staging folder.

    Raises
    ------
    ImpactError
        On entry: another run holds the lock (the message names its pid and start time
        and the lock file); ``target`` is a file or a folder holding files other than
        earlier results; the lock or staging folder cannot be created. On exit: an
        ``OSError`` (disk full, permission denied, ...) names what failed and the path,
        says the previous results are unchanged and how to fix it; SIGTERM during the
        block becomes the same kind of error; any other non-impact exception is wrapped
        likewise. All are chained from the original.
    KeyboardInterrupt, SystemExit, ImpactError
        Raised by the block: re-raised as they are after clean-up, with a note (and a
        progress message) that the previous results are unchanged.

    Notes
    -----
    The lock is :func:`fcntl.flock` on ``.<name>.lock`` next to ``target``, held until
    the transaction ends and released by the kernel if the process dies; a second
    transaction on the same folder fails at once. On entry, staging folders
    (``.<name>.staging-*``) of killed runs are deleted and a folder moved away by a run
    killed mid-swap (``.<name>.previous-*``) is put back.

    The swap uses Linux ``renameat2(RENAME_EXCHANGE)``; where that is missing it renames
    ``target`` to ``.<name>.previous-*`` and the staging folder to ``target``, undoing the
    first rename if the second fails. SIGINT and SIGTERM are held back in the main thread
    while the transaction commits or rolls back. A SIGTERM handler is installed (main
    thread only, and only over the default action) for the duration of the block.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "results"
    >>> with results_transaction(target) as staging:
    ...     _ = (staging / "T01.csv").write_text("a\\n1\\n")
    >>> sorted(p.name for p in target.iterdir())
    ['T01.csv']
    """
    return ResultsTransaction(target, progress=progress)
