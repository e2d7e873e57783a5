"""The bench (bench/bench.py) times builds as users run them: a build that fails is no figure."""

import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from bench import as_make_runs, measured  # noqa: E402


def test_a_command_that_fails_stops_the_bench_with_what_it_said():
    """A failed build took little time and left its work to the next one, which would pass for a slow edit."""
    with pytest.raises(SystemExit, match="排版进程意外结束"):
        measured([sys.executable, "-c", "import sys; print('系统: 排版进程意外结束'); sys.exit(1)"])
    seconds, mb = measured([sys.executable, "-c", "import time; time.sleep(0.2)"])
    assert 0.2 <= seconds < 30 and mb > 0


def test_the_bench_builds_with_the_environment_make_gives_its_programs(monkeypatch):
    """Timed as `make` runs a build: with what the Makefile exports (glibc's malloc in huge pages)."""
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    found = as_make_runs()
    assert "GLIBC_TUNABLES" in found
    shown = subprocess.run(["make", "-s", "-C", str(ROOT), "--eval", "shown: ; @env", "shown"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    assert {f"{name}={value}" for name, value in found.items()} <= set(shown)
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")  # the user's own: left as it is
    assert "GLIBC_TUNABLES" not in as_make_runs()
