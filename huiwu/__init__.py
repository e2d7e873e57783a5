"""huiwu: meeting sources in, print-ready meeting documents out."""

__version__ = "0.1.0"

from . import compiled

compiled.install()  # before any of huiwu's dataclasses is made
