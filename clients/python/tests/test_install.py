"""`pip install ./clients/python` works offline with Debian's pip and setuptools."""

import os
import shutil
import subprocess
import unittest

from support import CLIENT, PYTHON, temp_dir


class InstallTest(unittest.TestCase):
    def test_pip_installs_the_client_into_a_venv(self):
        d = temp_dir(self)
        source = os.path.join(d, "client")
        # pip builds in the source folder; a copy keeps build/ and *.egg-info out of the checkout.
        shutil.copytree(CLIENT, source, ignore=shutil.ignore_patterns("tests", "__pycache__", "build", "*.egg-info"))
        venv = os.path.join(d, "venv")
        subprocess.run([PYTHON, "-m", "venv", "--system-site-packages", venv], check=True)
        python = os.path.join(venv, "bin", "python")
        r = subprocess.run(
            [python, "-m", "pip", "install", "--no-build-isolation", "--no-index", "-q", source],
            capture_output=True,
            text=True,
        )
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = subprocess.run(
            [python, "-c", "import hpo_studio as hs; print(hs.__version__, hs.__file__)"],
            capture_output=True,
            text=True,
            cwd=d,
            env={"PATH": os.environ.get("PATH", "")},
        )
        self.assertEqual(r.returncode, 0, r.stderr)
        version, location = r.stdout.split()
        self.assertEqual(version, "0.1.0")
        self.assertTrue(location.startswith(venv), location)


if __name__ == "__main__":
    unittest.main()
