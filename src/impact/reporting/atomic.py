"""Atomic, locked and confined results folders.

A study run must never lose or mix results. :func:`results_transaction` gives the run a
fresh staging folder next to the target, holds an exclusive lock on the target while the
run writes, and swaps the staging folder into place in one step only when every output
and the manifest are written. An interrupted or failed run (an exception, Ctrl-C,
SIGTERM, SIGKILL, a full disk, a missing permission) leaves the previous results exactly
as they were; the next run removes what a killed run left behind.

The transaction refuses a target holding anything but earlier results; where outputs may
go at all is :func:`impact.reporting.confine.resolve_output_dir`.

Only the standard library is used. The lock is :func:`fcntl.flock` on a sibling file
``.<name>.lock``; the swap is Linux ``renameat2(RENAME_EXCHANGE)`` through :mod:`ctypes`
when the kernel and file system offer it, and two renames with crash recovery elsewhere.

Main names
----------
results_transaction, ResultsTransaction
    Context manager yielding the staging folder; commits or rolls back on exit.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import errno
import functools
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

from impact._core.exceptions import ImpactError
from impact.reporting.confine import MANIFEST_NAME, _holds_other_files

try:  # POSIX only; elsewhere the lock degrades to an exclusively created file.
    import fcntl
except ImportError:  # pragma: no cover - exercised on Windows only
    fcntl = None  # type: ignore[assignment]

__all__ = ["ResultsTransaction", "results_transaction"]

_log = logging.getLogger(__name__)

#: Linux ``renameat2`` constants (``<fcntl.h>``, ``<linux/fs.h>``).
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
#: errno values meaning "this kernel or file system cannot exchange two paths".
_NO_EXCHANGE = frozenset({errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP})
_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_NO_PERMISSION = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})

Progress = Callable[[str], None]


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
        :func:`impact.reporting.confine.resolve_output_dir` first.
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
