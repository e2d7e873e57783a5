"""WeasyPrint imported with its C declarations parsed once an install, not once a build.

WeasyPrint declares the functions of Pango, HarfBuzz and Fontconfig it calls as C source, which cffi parses (with
pycparser, in Python) when WeasyPrint is imported — 40 ms — and each C type WeasyPrint first makes is parsed the
same way (40 ms more while the first document's fonts are set up): in the first render worker at every build,
before it can take the first part. cffi can also be given the same declarations already parsed, as the tables
of its "out-of-line" mode (what a module cffi generates holds), whose types its own C code then reads.

`load` also leaves out, until they are called, the two fontTools modules WeasyPrint imports for fonts it seldom
meets (`LATER`): a variable font, a font cut without HarfBuzz (which Engine never does) — 80–100 ms more of the
first worker's start, before it can take a part.

`load` imports WeasyPrint so, from tables made from WeasyPrint's own declarations the first time and kept beside
its compiled files (`__pycache__`), named by the digest of its ffi.py, cffi's version and Python's: another
WeasyPrint, other tables. Tables that cannot be read, or were made from other declarations, or a folder that
cannot be written: WeasyPrint's own way, as if none of this were here.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

MODULE = "weasyprint.text.ffi"  # the one module whose declarations are kept
NAME = "_huiwu_weasyprint_ffi"  # the tables' module name, as cffi records it
# fontTools modules WeasyPrint imports (with the names it takes from them) but calls only for a variable font
# (instancer) or a font cut without HarfBuzz (subset): loaded when first used
LATER = {"fontTools.subset": (), "fontTools.varLib.instancer": ("instantiateVariableFont",)}


class _Stale(Exception):
    """The declarations WeasyPrint gave are not the ones the tables were made from."""


def load() -> ModuleType:
    """WeasyPrint, imported (a second call: as imported)."""
    if MODULE in sys.modules:
        import weasyprint

        return weasyprint
    path = _tables_path()
    tables = _read(path) if path else None
    if tables is not None:
        try:
            return _imported(tables)
        except _Stale:
            for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
                del sys.modules[name]
    said: list[str] = []
    weasyprint = _imported(None, said)
    if path and len(said) == 1:
        _keep(path, said[0])
    return weasyprint


def _imported(tables: tuple[str, str, dict[str, Any]] | None, said: list[str] | None = None) -> ModuleType:
    """WeasyPrint imported with cffi.FFI() giving the kept declarations to its ffi module (`tables`), or as it is,
    noting the declarations it gives (`said`)."""
    import _cffi_backend
    import cffi

    made, declare = cffi.FFI, cffi.FFI.cdef

    class Declared(_cffi_backend.FFI):  # type: ignore[misc,name-defined]
        def cdef(self, source: str, *args: Any, **kwargs: Any) -> None:
            if tables is None or _digest(source) != tables[0]:
                raise _Stale

    def ffi() -> Any:
        if tables is not None and sys._getframe(1).f_globals.get("__name__") == MODULE:
            return Declared(tables[1], **tables[2])
        return made()

    def noted(self: Any, source: str, *args: Any, **kwargs: Any) -> None:
        if said is not None and sys._getframe(1).f_globals.get("__name__") == MODULE:
            said.append(source)
        declare(self, source, *args, **kwargs)

    made.cdef = noted  # type: ignore[method-assign]
    cffi.FFI = ffi  # type: ignore[misc]
    try:
        with _later():
            import weasyprint
    finally:
        cffi.FFI = made  # type: ignore[misc]
        made.cdef = declare  # type: ignore[method-assign]
    return weasyprint


class _Later(types.ModuleType):
    """Stands in for a module while WeasyPrint is imported (LATER); WeasyPrint keeps it, and the first name it asks
    of it loads the module itself (not what the import system asks of any module: whether it is a package)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_loaded(self.__name__), name)


def _loaded(module: str) -> types.ModuleType:
    if isinstance(sys.modules.get(module), _Later):  # asked while WeasyPrint was being imported
        del sys.modules[module]
    return importlib.import_module(module)


def _stand_in(module: str, name: str) -> Callable[..., Any]:
    def later(*args: Any, **kwargs: Any) -> Any:
        return getattr(_loaded(module), name)(*args, **kwargs)

    return later


@contextmanager
def _later() -> Iterator[None]:
    """The LATER modules not yet loaded stood in for (_Later) while WeasyPrint is imported, then let go: whoever
    imports them next gets them whole."""
    stood = {}
    for module, names in LATER.items():
        if module not in sys.modules:
            stood[module] = sys.modules[module] = _Later(module)
            for name in names:
                setattr(stood[module], name, _stand_in(module, name))
    try:
        yield
    finally:
        for module, stand_in in stood.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]


def _tables_path() -> Path | None:
    try:
        spec = importlib.util.find_spec("weasyprint")  # not of MODULE itself: that imports WeasyPrint
        if spec is None or spec.origin is None:
            return None
        source = Path(spec.origin).parent / "text" / "ffi.py"
        import cffi

        key = hashlib.sha256(source.read_bytes() + f"\0{cffi.__version__}\0{sys.version}".encode()).hexdigest()[:16]
    except (ImportError, OSError, ValueError):
        return None
    return source.parent / "__pycache__" / f"huiwu-declarations-{key}.marshal"


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def _read(path: Path) -> tuple[str, str, dict[str, Any]] | None:
    try:
        tables = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    ok = (isinstance(tables, tuple) and len(tables) == 3 and isinstance(tables[0], str)
          and isinstance(tables[1], str) and isinstance(tables[2], dict))
    return tables if ok else None


def _keep(path: Path, source: str) -> None:
    """The tables of `source`'s declarations, as cffi generates them for a module of its own, kept in `path` (written
    as render.write_atomic writes, not through it: render imports this module, and a cycle is refused)."""
    try:
        import cffi

        builder = cffi.FFI()
        builder.cdef(source)
        builder.set_source(NAME, None, compiler_verbose=False)
        with tempfile.TemporaryDirectory() as folder:
            generated = Path(folder) / f"{NAME}.py"
            builder.emit_python_code(str(generated))
            name, tables = _tables_of(generated.read_text(encoding="utf-8"))
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps((_digest(source), name, tables)))
        os.replace(temporary, path)
    except Exception:  # no room, no right to write there, another cffi: WeasyPrint's own way next time too
        return


def _tables_of(generated: str) -> tuple[str, dict[str, Any]]:
    """The arguments of the generated module's `_cffi_backend.FFI(…)` call: literals, read as such."""
    call = next(node for node in ast.walk(ast.parse(generated)) if isinstance(node, ast.Call))
    name = ast.literal_eval(call.args[0])
    return name, {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
