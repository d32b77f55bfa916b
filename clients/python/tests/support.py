"""What the client's tests share: the repository, the hpo-studio command, temporary folders."""

import json
import os
import shutil
import subprocess
import tempfile

CLIENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(CLIENT))
BIN = os.path.join(ROOT, "bin", "hpo-studio.mjs")
PYTHON = "/usr/bin/python3"


def temp_dir(test):
    d = tempfile.mkdtemp(prefix="hpo-py-")
    test.addCleanup(shutil.rmtree, d, True)
    return d


def hpo(*args, check=True, timeout=600):
    """Runs the hpo-studio command; returns its completed process."""
    r = subprocess.run(["node", BIN] + list(args), capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("hpo-studio %s exited %d:\n%s\n%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
    return r


def hpo_json(*args):
    return json.loads(hpo(*(list(args) + ["--json"])).stdout)


def client_env(extra=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = CLIENT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra or {})
    return env
