"""The bench (bench/bench.py) times builds as users run them: a build that fails is no figure."""

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from bench import measured  # noqa: E402


def test_a_command_that_fails_stops_the_bench_with_what_it_said():
    """A failed build took little time and left its work to the next one, which would pass for a slow edit."""
    with pytest.raises(SystemExit, match="排版进程意外结束"):
        measured([sys.executable, "-c", "import sys; print('系统: 排版进程意外结束'); sys.exit(1)"])
    seconds, mb = measured([sys.executable, "-c", "import time; time.sleep(0.2)"])
    assert 0.2 <= seconds < 30 and mb > 0
