import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pack():
    from checker.pack import load_pack

    return load_pack("cn")


def run_cli(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None, env: dict | None = None):
    """Run the real command line in a subprocess, as a user would."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "checker", *args], input=data, capture_output=True,
                          cwd=cwd or ROOT, env=e, timeout=300)
