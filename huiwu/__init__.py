"""huiwu: meeting sources in, print-ready meeting documents out."""

__version__ = "0.1.0"
