"""Part HTML kept between builds. A part laid out from the same doc and build values as before, whose layout read
the same values of the meeting, is taken as it was instead of laid out by Jinja2 again: an edit to one attendee
leaves most of a 2,000-person meeting's 600 parts as they were (a tenth of such a build).

What a part is made from: the code, layouts and settings with every source but the attendee table (the inputs
given), the kind and its layout, the doc (pickled: the people and values of its chunk), the build values, the
build date for a dated kind, and each attribute of the meeting its layout read, noted as it rendered (_Watched):
a layout that reads the attendee list through the meeting is laid out again whenever the list changes.
A kept part also keeps the characters it prints beyond what every working copy of the fonts holds (`beyond`):
a build looks through just the HTML it laid out anew for them (2,000 attendees: 25 MB of HTML, 30–50 ms).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
from pathlib import Path
from typing import Any

from .problems import Problems
from .render import Templates, write_atomic
from .working_fonts import beyond_base

FIRST_LINE = "\n"
_ABSENT = "huiwu: no such attribute"  # between the meeting attributes read (JSON) and the HTML, in each file


class Laid:
    """The parts of one meeting's build, kept in `folder`/<kind>/<key>.html; `read=False`: laid out anew (a forced
    build), still kept."""

    def __init__(self, folder: Path, inputs: str, read: bool = True):
        self.folder, self.inputs, self.read = folder, inputs, read
        self.used: dict[str, set[str]] = {}  # kind key → the parts' keys asked for by this build
        self.values: dict[str, str | None] = {}  # meeting attribute → its value's digest (None: cannot be kept)
        self.printed: dict[int, tuple[str, str]] = {}  # id of a part given, until `beyond` is asked of it → the
        # part, its working_fonts.beyond_base
        self.pruned: set[str] = set()  # the kinds `prune` has been through

    def html(self, templates: Templates, kind: str, template: str, context: dict[str, Any], problems: Problems,
             dated: str = "") -> str | None:
        """The part's HTML, as kept or laid out now (`context`: meeting, doc and build, as Templates.html;
        `dated`: the build date, for a kind whose documents show it)."""
        key = self._key(f"{kind}\0{dated}", template, context)
        if key is None:  # a doc that cannot be pickled: laid out every time
            return templates.html(template, context, problems)
        self.used.setdefault(kind, set()).add(key)
        path = os.path.join(self.folder, kind, f"{key}.html")  # a str: 1,349 paths a 2,000-person build
        kept = self._kept(path, context["meeting"]) if self.read else None
        if kept is not None:
            return self._given(*kept)
        watched = _Watched(context["meeting"])
        html = templates.html(template, {**context, "meeting": watched}, Problems())
        if html is None:  # said as the layout says it of the meeting itself, not of the stand-in
            return templates.html(template, context, problems)
        read = {name: self._value(context["meeting"], name) for name in sorted(watched._huiwu_read)}
        beyond = beyond_base([html])
        if None not in read.values():
            try:
                write_atomic(Path(path), (json.dumps({"read": read, "beyond": beyond}) + FIRST_LINE + html).encode())
            except OSError:  # a cache: laid out again next time
                pass
        return self._given(html, beyond)

    def beyond(self, parts: list[str]) -> str:
        """working_fonts.beyond_base of the parts: of those this gave (html), as noted with them — once: the note
        lets go of the part (a build asks once, before the parts are set in their fonts and let go themselves)."""
        found: set[str] = set()
        rest: list[str] = []
        for part in parts:
            given = self.printed.pop(id(part), None)
            if given is not None and given[0] is part:
                found.update(given[1])
            else:
                rest.append(part)
        return "".join(sorted(found.union(beyond_base(rest)) if rest else found))

    def _given(self, html: str, beyond: str) -> str:
        self.printed[id(html)] = (html, beyond)  # the part held with it: its id is no other's while this is kept
        return html

    def prune(self) -> None:
        """Remove the kept parts of the kinds laid out that this build did not ask for, each kind's once: the build
        prunes those laid out by the time the workers render while it waits on them, and the rest at its end."""
        for kind, used in self.used.items():
            if kind in self.pruned:
                continue
            self.pruned.add(kind)
            try:  # one listing of the folder (pathlib's glob took 40 ms for a 2,000-person meeting's 1,349 parts)
                names = [entry.name for entry in os.scandir(self.folder / kind)]
            except OSError:
                continue
            for name in names:
                if name.endswith(".html") and name[:-5] not in used:
                    (self.folder / kind / name).unlink(missing_ok=True)

    def _key(self, kind: str, template: str, context: dict[str, Any]) -> str | None:
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=5)
        pickler.fast = True  # each object as often as it is there: the same doc, the same bytes, however its values
        # are shared (forms.Row's cells: kept from the last build, or made now)
        try:
            pickler.dump(context["doc"])
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
            return None
        doc = out.getbuffer()
        build = repr(sorted(context["build"].items()))
        h = hashlib.sha256(f"{self.inputs}\0{kind}\0{template}\0{build}\0".encode())
        h.update(doc)
        return h.hexdigest()[:40]

    def _kept(self, path: str, meeting: Any) -> tuple[str, str] | None:
        """The kept part and what it prints beyond the base, if the meeting's values its layout read are the same."""
        try:
            with open(path, "rb") as f:
                head, html = f.read().decode().split(FIRST_LINE, 1)
            kept = json.loads(head)
            values, beyond = kept["read"], kept["beyond"]
        except (OSError, ValueError, UnicodeDecodeError, TypeError, KeyError):
            return None
        if not isinstance(values, dict) or not isinstance(beyond, str):
            return None
        if any(self._value(meeting, n) != d for n, d in values.items()):
            return None
        return html, beyond

    def _value(self, meeting: Any, name: str) -> str | None:
        """The digest of the meeting's attribute (or of its absence), once a build; None if it cannot be pickled."""
        if name not in self.values:
            try:
                value = getattr(meeting, name, _ABSENT)
                self.values[name] = hashlib.sha256(pickle.dumps(value, protocol=5)).hexdigest()
            except Exception:  # anything pickling may raise: the part is then laid out every time
                self.values[name] = None
        return self.values[name]


class _Watched:
    """The meeting as a layout sees it, noting the name of each attribute it asks for (there or not)."""

    __slots__ = ("_huiwu_meeting", "_huiwu_read")

    def __init__(self, meeting: Any):
        self._huiwu_meeting = meeting
        self._huiwu_read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        self._huiwu_read.add(name)
        return getattr(self._huiwu_meeting, name)
