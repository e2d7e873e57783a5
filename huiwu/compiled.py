"""The methods dataclasses writes for a class (__init__, __eq__, __repr__, …), compiled once an install, not at
every start.

dataclasses writes each method of a dataclass as Python source and compiles it when the class is made: 261
methods for huiwu's 51 dataclasses, 40 ms of a build's start, before its first document can go to the workers.
The same source compiles to the same code: each is compiled once and kept (marshal, as Python keeps a module's
code) beside huiwu's compiled modules, named by Python's version; a method whose source was not kept is compiled
as dataclasses compiles it, and kept when the process ends. Where dataclasses does not compile as this expects
(another Python), it is left as it is.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import os
import sys
import types
from pathlib import Path
from typing import Any

PATH = Path(__file__).parent / "__pycache__" / f"huiwu-dataclasses-{sys.implementation.cache_tag}.marshal"
_kept: dict[str, types.CodeType] = {}
_added: dict[str, types.CodeType] = {}


def install(path: Path = PATH) -> None:
    """dataclasses' methods compiled as kept in `path` from now on (once a process)."""
    if getattr(getattr(dataclasses, "exec", None), "kept", False) or not hasattr(dataclasses, "_create_fn"):
        return
    _kept.update(_read(path))
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # a module's own name before the builtin
    atexit.register(_keep, path)


def _exec(source: Any, globals: Any = None, locals: Any = None) -> None:
    """exec, with the code of a source compiled before."""
    if not isinstance(source, str):
        return builtins.exec(source, globals, locals)
    code = _kept.get(source)
    if code is None:
        code = _kept[source] = _added[source] = compile(source, "<string>", "exec")
    return builtins.exec(code, globals, locals)


_exec.kept = True  # type: ignore[attr-defined]


def _read(path: Path) -> dict[str, types.CodeType]:
    try:
        kept = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {s: c for s, c in kept.items() if isinstance(s, str) and isinstance(c, types.CodeType)}


def _keep(path: Path) -> None:
    """What was compiled anew, kept with what was read (another process's at once: one of the two stays). Written as
    render.write_atomic writes, not through it: this module comes before the rest of huiwu, and stands alone."""
    if not _added:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        temporary.write_bytes(marshal.dumps({**_read(path), **_kept}))
        os.replace(temporary, path)
        _added.clear()
    except OSError:  # no room, no right to write there: compiled again next time
        temporary.unlink(missing_ok=True)
