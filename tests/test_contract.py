"""The shared output-contract check, run against this checkout's command."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT

CHECK = ROOT.parent / "shared" / "contract" / "check_contract.py"


@pytest.mark.skipif(not CHECK.exists(), reason="the shared contract check is not beside this checkout")
def test_output_contract(tmp_path):
    exe = tmp_path / "collcheck"
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} -m checker \"$@\"\n")
    exe.chmod(0o755)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, str(CHECK), str(exe)], capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "contract: OK" in p.stdout


