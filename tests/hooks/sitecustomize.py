"""Loaded at start-up by a build.py the tests run with tests/hooks on PYTHONPATH. With HUIWU_COUNT_OPENS set
to a file name, it counts how often each file under HUIWU_COUNT_ROOT is opened in this process and writes
the counts to that file at exit (worker processes, which end without exit handlers, count nothing)."""

import atexit
import builtins
import io
import json
import os
from collections import Counter

_target = os.environ.get("HUIWU_COUNT_OPENS")
if _target:
    _root = os.path.abspath(os.environ.get("HUIWU_COUNT_ROOT", "."))
    _counts: Counter[str] = Counter()
    _open = io.open
    _pid = os.getpid()

    def _counting_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, os.PathLike)):
            path = os.path.abspath(os.fspath(file))
            if path.startswith(_root + os.sep):
                _counts[os.path.relpath(path, _root)] += 1
        return _open(file, *args, **kwargs)

    def _write() -> None:
        if os.getpid() == _pid:
            with _open(_target, "w", encoding="utf-8") as fh:
                json.dump(dict(_counts), fh, ensure_ascii=False)

    io.open = builtins.open = _counting_open
    atexit.register(_write)
