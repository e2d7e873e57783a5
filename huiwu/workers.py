"""The render workers: documents laid out side by side in two processes (WeasyPrint is CPU-bound) while this
process reads, joins and writes.

The first worker is started before the sources are read — a build from the command line forks it before the
program is imported whole (spawn_early) — and loads WeasyPrint meanwhile, then the fonts of the last build (most
builds use the same) once told of them; the second is forked from it once it has. WeasyPrint and the fonts are so
loaded once a build, not once a worker, and this process reads with a core of its own. Each worker renders what
it takes from one queue of parts; on a one-core machine, everything is rendered in this process instead.
"""

from __future__ import annotations

import atexit
import functools
import gc
import itertools
import os
import queue
import select
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

if TYPE_CHECKING:  # the rest of the program, and WeasyPrint, are imported after the first worker is forked (spawn)
    from .problems import BuildFailed
    from .render import ChunkCache, Engine, Rendered, Unread

COUNT = 2
WORKER_GC = (700, 10, 10)  # Python's own thresholds: WeasyPrint's boxes are cycles, collected as they go
POLL = 0.2  # seconds between looks at whether the workers still run, while waiting on them
LOST = "排版进程意外结束（可能是内存不足，或被其他程序结束）：已写出的文件都是完整的，请重新运行 make"


class Workers:
    def __init__(self) -> None:
        self.alone = (os.cpu_count() or 1) < 2  # one core: everything rendered in this process
        self.engine: Engine | None = None  # one core: this process's own
        self.first = 0  # the first worker's process id, once started
        self.lifelines: list[int] = []  # one a worker: at its end of file once the worker is gone
        self.jobs: Any = None  # (number, parts, base URL, cache), or None: stop
        self.results: Any = None  # (number, Rendered or None, exception or None)
        self.stopping: Any = None  # 1: parts not yet begun are dropped (a shared byte, read without a lock)
        self.numbers = itertools.count()
        self.arrived: dict[int, tuple[Rendered | None, BaseException | None]] = {}
        self.unwanted: set[int] = set()  # results no one will ask for: dropped as they come
        self.lost = False
        self.scratch: Path | None = None  # where the workers' WeasyPrint copies the fonts: removed by close()
        self.told: int | None = None  # spawned, not yet told the fonts (start): the pipe to tell them through

    def start(self, fonts: Path | None = None) -> None:
        """Start the workers now, before this process reads the sources, or tell the first one spawned already
        (spawn) which fonts to load meanwhile: `fonts`, a stylesheet naming them (the last build's)."""
        if self.alone or self.told is None and self.first:
            return
        if not self.first:
            self.spawn()
        assert self.told is not None
        try:
            os.write(self.told, os.fsencode(fonts or ""))  # a pipe's buffer holds a path: the worker need not be ready
        except OSError:  # the worker is gone: the first document finds it lost and says so
            pass
        os.close(self.told)
        self.told = None

    def spawn(self) -> None:
        """Fork the first worker, which loads WeasyPrint while this process goes on (importing the rest of itself,
        reading the sources) and then waits to be told the fonts (start). Done before any thread is started:
        forking a process that runs threads can leave a lock held in the child."""
        if self.alone or self.first:
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.jobs, self.results, self.stopping = context.Queue(), context.Queue(), context.RawValue("b", 0)
        try:  # removed here even if a worker is killed
            self.scratch = Path(tempfile.mkdtemp(prefix="huiwu-fonts-"))
        except OSError:  # no temporary folder to be had: the first document meets it and says so
            self.scratch = None
        pipes = [os.pipe() for _ in range(COUNT)]
        told, self.told = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # what waits in this process's buffers is written once
            stream.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            os.close(self.told)
            _first_worker(self, pipes, parent, told)
        os.close(told)
        self.first = pid
        for _, write in pipes:
            os.close(write)
        self.lifelines = [read for read, _ in pipes]

    def warm(self, fonts: Path | None = None) -> None:
        """Start the workers and wait until they are ready (the live preview does, once)."""
        if not self.alone:
            self.start(fonts)
            self.submit([], Path("."), None)()

    def submit(self, parts: list[str], base_url: Path, cache: ChunkCache | None,
               unread: bool = False) -> Callable[[], Rendered]:
        """The parts rendered, each by the next free worker: both share a document's parts, to the last (the 须知's
        name list, sent once its front is rendered, came last and took one worker alone). Call what is returned
        to wait for them all. `unread`: those the cache holds given as Unread, read only if they are joined anew."""
        if self.alone:
            from .render import Engine

            engine = self.engine = self.engine or Engine()
            return lambda: engine.pdf(parts, base_url, cache)  # rendered when asked for, in order
        self.start()
        entries: list[int | tuple[bytes | Unread, int] | None] = [None] * len(parts)
        for i, part in enumerate(parts):  # sent first: a worker begins on them while the parts rendered before are read
            if cache is None or not cache.holds(part):
                entries[i] = self._sent(part, base_url, cache)
        for i, part in enumerate(parts):
            if entries[i] is None:
                assert cache is not None
                hit = cache.unread(part, functools.partial(self._made_now, part, base_url)) if unread else \
                    cache.get(part)  # read here: cheaper than through a worker and back
                entries[i] = hit if hit is not None else self._sent(part, base_url, cache)  # gone since: pruned
        if not parts:  # (warm) one job still, to wait on
            entries.append(self._sent(None, base_url, cache))
        return _Pending(self, cast("list[int | tuple[bytes | Unread, int]]", entries))

    def _made_now(self, part: str, base_url: Path) -> bytes:
        """`part` rendered by a worker, waited for (an Unread part gone from the cache when it was to be read)."""
        from .render import bytes_of

        return bytes_of(self.submit([part], base_url, None)().pdfs[0])

    def _sent(self, part: str | None, base_url: Path, cache: ChunkCache | None) -> int:
        """A job for the workers: `part` rendered (None: nothing, a job to wait on); its number."""
        number = next(self.numbers)
        self.jobs.put((number, [] if part is None else [part], base_url, cache))
        return number

    def earliest(self, results: list[Callable[[], Rendered]], idle: Callable[[], bool] | None = None) -> int:
        """Which of `results` (as submit gave them) has come first; waited for if none has. `idle`: this process's
        own work, a piece each call, done while none has come (False: none left). On one core, the first: each is
        rendered when asked for."""
        while True:
            for i, result in enumerate(results):
                if not isinstance(result, _Pending) or result.came():
                    return i
            if self._receive(block=False) or idle is not None and idle():
                continue
            idle = None  # none left
            self._receive()

    def result(self, number: int) -> Rendered:
        while number not in self.arrived:
            self._receive()
        rendered, exc = self.arrived.pop(number)
        if exc is not None:
            raise exc
        assert rendered is not None
        return rendered

    def forget(self, number: int) -> None:
        if self.arrived.pop(number, None) is None:
            self.unwanted.add(number)

    def _receive(self, block: bool = True) -> bool:
        """A result taken in, if one comes (`block`: within POLL); whether one did."""
        try:
            number, rendered, exc = self.results.get(timeout=POLL) if block else self.results.get_nowait()
        except queue.Empty:
            if block and select.select(self.lifelines, [], [], 0)[0]:  # a worker ended before its work was done
                from .render import system_problem

                self.lost = True
                system_problem(LOST)
            return False
        if number in self.unwanted:
            self.unwanted.discard(number)
        else:
            self.arrived[number] = (rendered, exc)
        return True

    def stop(self) -> None:
        """Tell the workers to end once the parts given them are done, without waiting for them (close waits)."""
        if self.first and not self.alone:
            for _ in range(COUNT):
                self.jobs.put(None)

    def close(self, abandon: bool = False) -> None:
        """Stop the workers once the parts they have begun are done; those not begun are dropped. `abandon`:
        nothing was given to render (the sources were rejected): stop them at once, loading or not."""
        if self.engine is not None:  # one core: rendered in this process; its fonts' copies are gone now
            self.engine.close()
            self.engine = None
        if self.told is not None:  # spawned, never told the fonts: stopped as it is
            os.close(self.told)
            self.told = None
        if not self.first:
            return
        self.stopping.value = 1
        if select.select(self.lifelines, [], [], 0)[0]:  # one has ended: the other may wait on a lock it held
            self.lost = True
        if abandon or self.lost:
            os.kill(self.first, signal.SIGTERM)  # the second ends with it (_die_with_parent)
        for _ in range(COUNT):  # also to a worker the signal reached as it was setting its handler, and lost
            self.jobs.put(None)
        results = self.results._reader.fileno()  # multiprocessing's own: the pipe the results come through
        running = list(self.lifelines)
        while running:  # results still sent meanwhile are read, or a worker could wait forever to send them
            ready = select.select([*running, results], [], [], POLL)[0]
            if results in ready:  # thrown away as bytes, not as whole results: one cut short by a worker stopped
                os.read(results, 1 << 20)  # (abandon) or killed would leave this process waiting for the rest
            running = [fd for fd in running if fd not in ready]
        if abandon or self.lost:
            self.jobs.cancel_join_thread()  # no one reads what may be left unsent
        self.jobs.close()
        self.jobs.join_thread()
        os.waitpid(self.first, 0)
        for fd in self.lifelines:
            os.close(fd)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
        self.first, self.lifelines, self.scratch = 0, [], None


_early: Workers | None = None  # spawned before the program was imported whole (spawn_early), not yet claimed


def spawn_early() -> None:
    """For a build, from the command line (build.py): the first worker forked before the rest of the program is
    imported, so it is ready to render a tenth of a second sooner. The build claims it; a build with nothing to
    do (or a command line mistake) stops it at exit."""
    global _early
    if _early is None:
        _early = Workers()
        _early.spawn()
        atexit.register(_unclaimed)


def claim() -> Workers:
    """The workers of this build: those spawned early, if any, else new ones."""
    global _early
    found, _early = _early or Workers(), None
    return found


def _unclaimed() -> None:
    if _early is not None:
        _early.close(abandon=True)


class _Pending:
    """Results to come, one a part (or a part's PDF from the chunk cache): called, they are waited for and given
    as one; dropped unasked (a build stopped by a mistake in another document), or one of them failed, the others
    are thrown away as they come."""

    def __init__(self, workers: Workers, entries: list[int | tuple[bytes | Unread, int]]):
        self.workers, self.entries, self.asked = workers, entries, False
        self.numbers = [e for e in entries if isinstance(e, int)]
        self.seen = 0  # how many of the numbers, from the first, have come: looked at once each

    def came(self) -> bool:
        """Whether every result has come (asked after each that comes: each is looked at once, not every time)."""
        while self.seen < len(self.numbers) and self.numbers[self.seen] in self.workers.arrived:
            self.seen += 1
        return self.seen == len(self.numbers)

    def __call__(self) -> Rendered:
        from .render import Rendered

        self.asked = True
        out = Rendered([], 0)
        for i, entry in enumerate(self.entries):
            if not isinstance(entry, int):
                got = Rendered([entry[0]], entry[1], [entry[1]])
            else:
                try:
                    got = self.workers.result(entry)
                except BaseException:
                    for rest in self.entries[i + 1:]:
                        if isinstance(rest, int):
                            self.workers.forget(rest)
                    raise
            out += got
        return out

    def __del__(self) -> None:
        if not self.asked:
            for number in self.numbers:
                self.workers.forget(number)


_engine: Engine | None = None  # a worker process's own WeasyPrint set-up
_failed: BuildFailed | None = None  # or why there is none


def _first_worker(workers: Workers, pipes: list[tuple[int, int]], parent: int, told: int) -> NoReturn:
    """Load WeasyPrint and the fonts it is told of (`told`: a pipe), fork the second worker, and render with it."""
    try:
        for read, _ in pipes:
            os.close(read)
        _set_up(parent, workers.scratch and workers.scratch / "first")
        with os.fdopen(told, "rb") as said:  # up to the end of file: start() closes it once it has told
            fonts = said.read()
        if fonts and _engine is not None:
            _engine.load_fonts(Path(os.fsdecode(fonts)))
        gc.freeze()  # WeasyPrint and the fonts, loaded: never looked through by the cycle collector (nor copied)
        gc.enable()
        first = os.getpid()
        second = os.fork()
        if second == 0:
            _second_worker(workers, pipes, first)
        os.close(pipes[1][1])
        signal.signal(signal.SIGCHLD, functools.partial(_second_ended, second))
        _serve(workers)
        os.waitpid(second, 0)  # it reads the fonts loaded before it was forked from this worker's copies
        _stop_worker(0, None)
    except BaseException:  # a worker ends quietly; the build says what went wrong
        os._exit(1)


def _second_worker(workers: Workers, pipes: list[tuple[int, int]], parent: int) -> NoReturn:
    try:
        os.close(pipes[0][1])
        _die_with_parent(parent)  # the first worker's end: fork does not carry it over
        if _engine is not None:
            _engine.forked(workers.scratch and workers.scratch / "second")
        _serve(workers)
        _stop_worker(0, None)
    except BaseException:
        os._exit(1)


def _second_ended(second: int, signum: int, frame: Any) -> None:
    """The second worker ended otherwise than told to (killed): it may have held the lock of the queue this worker
    waits on, so this one ends too, and the parent sees both gone."""
    try:
        ended = os.waitid(os.P_PID, second, os.WEXITED | os.WNOHANG | os.WNOWAIT)  # not reaped: waited for below
    except ChildProcessError:
        return
    if ended is not None and (ended.si_code != os.CLD_EXITED or ended.si_status != 0):
        _stop_worker(signum, frame)


def _set_up(parent: int, fonts: Path | None) -> None:
    global _engine, _failed
    # Ctrl-C (and a closed terminal's SIGHUP) reaches every process of the terminal's group: this process's parent
    # answers it (it stops the build or the preview and lets running parts finish), so a worker does not print a
    # traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the terminal closed: the parent stops, then tells the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: stopped while loading, gone quietly
    _die_with_parent(parent)
    os.nice(5)  # the parent's own reading and laying out goes first: it is what the workers wait for
    gc.set_threshold(*WORKER_GC)  # not the parent's build-long threshold: a document's garbage goes with it
    gc.disable()  # while WeasyPrint loads (its modules and styles are no garbage), till _first_worker has the fonts
    from .problems import BuildFailed
    from .render import Engine

    try:
        _engine = Engine(fonts)
    except BuildFailed as exc:  # Pango or HarfBuzz missing: said on the first document
        _failed = exc
    signal.signal(signal.SIGTERM, _stop_worker)


def _serve(workers: Workers) -> None:
    """Render parts until told to stop. Waited for POLL at a time: a signal (the other worker's end, the parent's)
    may reach the thread that sends results rather than this one, and a wait on the queue's lock without a
    timeout is not cut short by it — its handler runs once this thread is back in Python."""
    while True:
        try:
            job = workers.jobs.get(timeout=POLL)
        except queue.Empty:
            continue
        if job is None:
            break
        number, parts, base_url, cache = job
        if workers.stopping.value:
            continue
        try:
            workers.results.put((number, _render(parts, base_url, cache), None))
        except BaseException as exc:  # WeasyPrint's fetch errors are BaseException: sent on
            workers.results.put((number, None, _sendable(exc)))
    workers.results.close()
    workers.results.join_thread()


def _render(parts: list[str], base_url: Path, cache: ChunkCache | None) -> Rendered:
    if _failed is not None:
        raise _failed
    assert _engine is not None
    return _engine.pdf(parts, base_url, _known(cache))


def _known(cache: ChunkCache | None) -> ChunkCache | None:
    """The chunk cache as first sent to this worker, whatever the number of jobs that name it (one a part): its
    folder is listed once, not once a part. The last CACHES_KEPT are kept (a live preview's worker serves build
    after build, each with caches of its own)."""
    if cache is None:
        return None
    if cache.token not in _caches and len(_caches) >= CACHES_KEPT:
        del _caches[next(iter(_caches))]
    return _caches.setdefault(cache.token, cache)


CACHES_KEPT = 64
_caches: dict[str, ChunkCache] = {}


def _sendable(exc: BaseException) -> BaseException:
    """The exception, or its name and text if it cannot be sent to the parent as it is."""
    import pickle

    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _die_with_parent(parent: int) -> None:
    """Linux: this worker is sent SIGTERM when the process that started it ends, however it ends (killed, its
    terminal closed): no worker is left running on its own, holding its memory."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's own stop (build.py) closes the workers
        return
    if os.getppid() != parent:  # it ended before this worker asked
        os._exit(0)


def _stop_worker(signum: int, frame: Any) -> NoReturn:
    """Done, or told to stop before its work is done: its copies of the fonts removed, then gone."""
    if _engine is not None:
        _engine.close()
    os._exit(0)
