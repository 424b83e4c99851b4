"""The Binder recipe (binder/), checked as far as this machine can without repo2docker.

repo2docker copies the repository into the image, installs binder/apt.txt and runs binder/postBuild as
the notebook user with NB_PYTHON_PREFIX set to the environment that runs Jupyter. Here: every apt.txt
package must exist for apt (`apt-cache policy` shows a candidate); postBuild runs on a copy of the
repository with a throwaway HOME and prefix; and the notebook Binder opens runs on the kernel that
postBuild installed there.

Environment: NNLAB_M2_REPO (a Maven local repository to build from, default ~/.m2/repository, so the
test needs no download), NNLAB_CELL_TIMEOUT (seconds per notebook cell, default 300).

    python -m unittest scripts/test_binder.py -v
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINDER = os.path.join(ROOT, "binder")
START = "notebooks/00_start_here.ipynb"


def apt_packages():
    with open(os.path.join(BINDER, "apt.txt")) as f:
        return [line.strip() for line in f if line.strip() and not line.strip().startswith("#")]


def repo_files():
    """What repo2docker would copy: the files git tracks or would track (no build output)."""
    try:
        out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             check=True, capture_output=True).stdout
        return [p for p in out.decode().split("\0") if p and os.path.isfile(os.path.join(ROOT, p))]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", "target", ".nnlab", ".venv"}
        files = []
        for d, dirs, names in os.walk(ROOT):
            dirs[:] = [x for x in dirs if x not in skip]
            files += [os.path.relpath(os.path.join(d, n), ROOT) for n in names]
        return files


class BinderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="nnlab-binder.")
        cls.repo = os.path.join(cls.tmp, "repo")
        cls.home = os.path.join(cls.tmp, "home")
        cls.prefix = os.path.join(cls.tmp, "prefix")
        os.makedirs(cls.home)
        os.makedirs(cls.prefix)
        for rel in repo_files():
            dst = os.path.join(cls.repo, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, rel), dst)
        m2 = os.environ.get("NNLAB_M2_REPO") or os.path.expanduser("~/.m2/repository")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NNLAB_", "MAVEN_"))}
        env.update(HOME=cls.home, NB_PYTHON_PREFIX=cls.prefix, MAVEN_OPTS=f"-Dmaven.repo.local={m2}")
        cls.env = env
        cls.postbuild = subprocess.run(["bash", os.path.join(cls.repo, "binder", "postBuild")], cwd=cls.repo, env=env,
                                       capture_output=True, text=True, timeout=900)
        print(cls.postbuild.stdout[-3000:], cls.postbuild.stderr[-3000:], sep="\n", file=sys.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_apt_packages_exist(self):
        packages = apt_packages()
        self.assertIn("maven", packages)
        self.assertTrue(any(p.startswith("openjdk-") for p in packages), packages)
        missing = []
        for p in packages:
            out = subprocess.run(["apt-cache", "policy", p], capture_output=True, text=True).stdout
            candidate = [l.split(":", 1)[1].strip() for l in out.splitlines() if l.strip().startswith("Candidate:")]
            if not candidate or candidate[0] == "(none)":
                missing.append(p)
        self.assertEqual(missing, [], "apt knows no such package (after 'apt-get update')")

    def test_postbuild_installs_the_kernelspec(self):
        self.assertEqual(self.postbuild.returncode, 0, "binder/postBuild failed:\n" + self.postbuild.stderr[-3000:])
        spec_dir = os.path.join(self.prefix, "share", "jupyter", "kernels", "nnlab")
        with open(os.path.join(spec_dir, "kernel.json")) as f:
            spec = json.load(f)
        self.assertEqual(spec["language"], "java")
        jar = os.path.join(spec_dir, "nnlab-kernel.jar")
        self.assertTrue(os.path.isfile(jar), "the kernel jar is copied beside kernel.json")
        self.assertIn(jar, " ".join(spec["argv"]), "the kernelspec runs the jar in the prefix")
        self.assertFalse(os.path.exists(os.path.join(self.home, ".local", "share", "jupyter", "kernels", "nnlab")),
                         "postBuild installs into the environment, not the user's data dir")

    def test_start_notebook_runs_on_the_installed_kernel(self):
        self.assertEqual(self.postbuild.returncode, 0, "binder/postBuild failed")
        path = os.path.join(self.repo, START)
        self.assertTrue(os.path.isfile(path), f"Binder opens {START}; it must exist")
        jupyter = os.path.join(self.prefix, "share", "jupyter")
        env = dict(self.env, JUPYTER_PATH=jupyter, JUPYTER_DATA_DIR=os.path.join(self.home, "jupyter-data"))
        probe = subprocess.run([sys.executable, "-c", "from jupyter_client.kernelspec import KernelSpecManager as K;"
                                "print(K().get_kernel_spec('nnlab').resource_dir)"],
                               env=env, capture_output=True, text=True, check=True)
        self.assertEqual(os.path.realpath(probe.stdout.strip()),
                         os.path.realpath(os.path.join(jupyter, "kernels", "nnlab")))
        run = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "run_notebooks.py"), "--kernel", "nnlab",
                              "--timeout", os.environ.get("NNLAB_CELL_TIMEOUT", "300"), path],
                             env=env, capture_output=True, text=True, timeout=1200)
        print(run.stdout[-2000:], file=sys.stderr)
        self.assertEqual(run.returncode, 0, run.stdout[-3000:] + run.stderr[-2000:])
        self.assertIn("notebooks: 1 passed, 0 failed", run.stdout)


if __name__ == "__main__":
    unittest.main()
