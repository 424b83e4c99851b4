"""A person's view of nnlab: Notebook 7 and JupyterLab 4 in headless Chromium run a notebook to the end.

One Jupyter server (JupyterLab's, which also serves Notebook 7) runs on 127.0.0.1 with a token over a
throwaway directory holding output-free copies of the notebook, one per front end. Playwright for Python
drives Debian's chromium (never a downloaded browser): open the notebook, Run > Run All Cells, wait until
every code cell has run, save it from the page and check from the saved file (read from disk, not through the
contents API) that no cell shows an error output (stderr text is reported, not failed), then that the cell
running `%gradflow` shows an image that really decoded, at the size of the PNG the kernel sent, which is
%gradflow's chart size, and save a screenshot.

Environment: JUPYTER_PATH must find the nnlab kernelspec (./nnlab test installs one in a throwaway prefix);
NNLAB_BROWSER_NOTEBOOK (default notebooks/08_gradient_flow.ipynb), NNLAB_BROWSER_OUT (where screenshots
go, default a temporary directory), NNLAB_CHROMIUM (default /usr/bin/chromium), NNLAB_BROWSER_TIMEOUT
(seconds for a notebook to run, default 420), NNLAB_BROWSER_CHART_SIZE (the chart's expected WxH, default
800x450, %gradflow's default).

    python -m unittest scripts/test_browser.py -v
"""
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOK = os.environ.get("NNLAB_BROWSER_NOTEBOOK", os.path.join(ROOT, "notebooks", "08_gradient_flow.ipynb"))
CHROMIUM = os.environ.get("NNLAB_CHROMIUM", "/usr/bin/chromium")
RUN_TIMEOUT = float(os.environ.get("NNLAB_BROWSER_TIMEOUT", "420"))
# The cell whose image is "the chart": the first code cell whose source starts with this magic.
CHART_MAGIC = os.environ.get("NNLAB_BROWSER_CHART_MAGIC", "%gradflow")
# %gradflow's default chart size (GradFlowRenderer); the notebook's %gradflow cell uses the default.
CHART_SIZE = tuple(int(v) for v in os.environ.get("NNLAB_BROWSER_CHART_SIZE", "800x450").split("x"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def png_size(data):
    """Width and height from a PNG's IHDR chunk, or None when the bytes are not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def clear_outputs(src, dst):
    with open(src, encoding="utf-8") as f:
        nb = json.load(f)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1)
    return nb


def chart_cell_index(nb):
    """The index among code cells of the first one whose source starts with CHART_MAGIC."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(code):
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if any(line.strip().startswith(CHART_MAGIC) for line in src.splitlines()):
            return i, len(code)
    return None, len(code)


class Server:
    """jupyter lab on 127.0.0.1 with a token, over ROOT_DIR, with its config and state in a throwaway place."""

    def __init__(self, root_dir, state_dir):
        self.port = free_port()
        self.token = base64.urlsafe_b64encode(os.urandom(18)).decode()
        self.base = f"http://127.0.0.1:{self.port}"
        self.root = root_dir
        env = dict(os.environ)
        for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                         ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"), ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces")]:
            env[var] = os.path.join(state_dir, sub)
            os.makedirs(env[var], exist_ok=True)
        # Every cell in the DOM (no virtual scrolling), so the test can read each one; no news prompt.
        for plugin, settings in [("notebook-extension/tracker", {"windowingMode": "none"}),
                                 ("apputils-extension/notification", {"fetchNews": "false"})]:
            path = os.path.join(env["JUPYTERLAB_SETTINGS_DIR"], "@jupyterlab", plugin + ".jupyterlab-settings")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                json.dump(settings, f)
        args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root_dir}", "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--MappingKernelManager.cull_idle_timeout=0"]
        if os.geteuid() == 0:
            args.append("--allow-root")
        self.log_path = os.path.join(state_dir, "server.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=root_dir)
        deadline = time.monotonic() + 90
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Jupyter server exited ({self.proc.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Jupyter server did not answer within 90 s:\n{self.tail()}")
            time.sleep(0.5)

    def kernel_state(self, path):
        """The execution state of the kernel of the session for PATH, or None."""
        with urllib.request.urlopen(f"{self.base}/api/sessions?token={self.token}", timeout=5) as r:
            for s in json.load(r):
                if s.get("path") == path and s.get("kernel"):
                    return s["kernel"].get("execution_state")
        return None

    def wait_kernel_idle(self, path, timeout):
        """Wait until the server's session for PATH has a started kernel that reports idle."""
        deadline = time.monotonic() + timeout
        state = "no session"
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"{self.base}/api/sessions?token={self.token}", timeout=5) as r:
                sessions = json.load(r)
            for s in sessions:
                if s.get("path") == path and s.get("kernel"):
                    state = s["kernel"].get("execution_state")
                    if state == "idle":
                        return
            time.sleep(0.5)
        raise AssertionError(f"the kernel for {path} was not idle within {timeout} s ({state}):\n{self.tail()}")

    def saved(self, path):
        """The notebook at PATH as last saved, read from disk, or None while the server is still writing it.

        Never through the contents API: a GET that meets a half-written notebook makes the server "recover" it from
        its atomic-writing backup, which races with the write in progress (seen as HTTP 500 and 404)."""
        os_path = os.path.join(self.root, path)
        backup = os.path.join(os.path.dirname(os_path), ".~" + os.path.basename(os_path))
        if os.path.exists(backup):
            return None
        try:
            with open(os_path, encoding="utf-8") as f:
                return json.load(f)
        except ValueError:
            return None

    def tail(self, n=30):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return "".join(f.readlines()[-n:])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log.close()


class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(NOTEBOOK):
            raise unittest.SkipTest(f"{NOTEBOOK} does not exist yet")
        if not os.access(CHROMIUM, os.X_OK):
            raise RuntimeError(f"{CHROMIUM} not found: install Debian's chromium ('apt-get install chromium')")
        from playwright.sync_api import sync_playwright
        cls.tmp = tempfile.mkdtemp(prefix="nnlab-browser.")
        cls.out = os.environ.get("NNLAB_BROWSER_OUT") or os.path.join(cls.tmp, "screenshots")
        os.makedirs(cls.out, exist_ok=True)
        work = os.path.join(cls.tmp, "work")
        cls.name = os.path.basename(NOTEBOOK)
        for ui in ("nb7", "lab"):
            os.makedirs(os.path.join(work, ui))
            cls.nb = clear_outputs(NOTEBOOK, os.path.join(work, ui, cls.name))
        # Data files the notebook reads sit beside it.
        data = os.path.join(os.path.dirname(NOTEBOOK), "data")
        if os.path.isdir(data):
            for ui in ("nb7", "lab"):
                shutil.copytree(data, os.path.join(work, ui, "data"))
        cls.chart_index, cls.code_cells = chart_cell_index(cls.nb)
        cls.server = Server(work, os.path.join(cls.tmp, "state"))
        cls.pw = sync_playwright().start()
        cls.browser = cls.pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)

    @classmethod
    def tearDownClass(cls):
        for close in (lambda: cls.browser.close(), lambda: cls.pw.stop(), lambda: cls.server.stop()):
            try:
                close()
            except Exception as e:  # keep tearing down
                print(f"teardown: {e}", file=sys.stderr)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_notebook(self, url, path, shot):
        self.assertIsNotNone(self.chart_index, f"no code cell in {self.name} starts with {CHART_MAGIC}")
        page = self.browser.new_page(viewport=VIEWPORT)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(url, timeout=90_000)
            page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=90_000)
            self.server.wait_kernel_idle(path, timeout=120)
            # ... and the page knows it: the kernel's name is shown and its status is idle.
            page.wait_for_function(
                """() => [...document.querySelectorAll('.jp-Notebook-ExecutionIndicator')]
                         .some(e => e.getAttribute('data-status') === 'idle')
                      && document.body.innerText.includes('Java (nnlab)')""", timeout=60_000)
            page.wait_for_timeout(1000)
            page.click("#jp-MainMenu >> text=Run", timeout=30_000)
            page.click('.lm-Menu li[data-command="runmenu:run-all"]', timeout=30_000)
            cells = page.locator(".jp-Notebook .jp-CodeCell")
            self.assertEqual(cells.count(), self.code_cells, "every code cell of the notebook is on the page")
            # Done: for 3 s in a row nothing is queued or running ([*]), at least one cell ran, and the server's
            # kernel is idle (run-all stops at an error, leaving the cells after it blank).
            done_js = """() => { const p = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                                          .map(e => e.textContent.trim());
                                return p.some(t => /^\\[\\d+\\]:$/.test(t)) && !p.some(t => t.includes('*')); }"""
            deadline, calm = time.monotonic() + RUN_TIMEOUT, 0
            while calm < 6:
                if time.monotonic() > deadline:
                    raise AssertionError(f"the notebook did not finish within {RUN_TIMEOUT:.0f} s")
                page.wait_for_timeout(500)
                calm = calm + 1 if page.evaluate(done_js) and self.server.kernel_state(path) == "idle" else 0
            # What the cells show, from the notebook as the front end saves it: an error output is output_type
            # "error" there (on the page, errors and stderr text look the same).
            outputs = self.saved_outputs(page, path)
            failed = [(i, o) for i, outs in enumerate(outputs) for o in outs if o.get("output_type") == "error"]
            if failed:
                i, o = failed[0]
                self.fail(f"code cell {i} shows an error: {o.get('ename')}: {o.get('evalue')}")
            stderr = ["".join(o.get("text", "")).strip() for outs in outputs for o in outs if o.get("name") == "stderr"]
            if stderr:
                print(f"stderr text shown (not an error): {stderr[:3]}", file=sys.stderr)
            self.assertEqual(len(outputs), self.code_cells, "the saved notebook has every code cell")
            prompts = [cells.nth(i).locator(".jp-InputPrompt").inner_text().strip() for i in range(self.code_cells)]
            counts = [int(re.sub(r"\D", "", p)) for p in prompts]
            self.assertEqual(counts, sorted(counts), f"cells ran in order: {prompts}")
            chart = cells.nth(self.chart_index).locator(".jp-OutputArea-output img").first
            chart.wait_for(timeout=30_000)
            # The picture: the cell before the chart's (its explanation) at the top, the chart below it.
            cells.nth(self.chart_index).evaluate(
                "c => (c.previousElementSibling || c).scrollIntoView({block: 'start'})")
            img = chart.evaluate("""i => ({src: i.src, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight,
                                           shown: i.getBoundingClientRect().width})""")
            self.assertTrue(img["complete"], "the chart image finished loading")
            self.assertTrue(img["src"].startswith("data:image/png;base64,"), img["src"][:60])
            sent = png_size(base64.b64decode(img["src"].split(",", 1)[1]))
            self.assertIsNotNone(sent, "the chart is a PNG")
            self.assertEqual((img["w"], img["h"]), sent, "the browser decoded the chart at the PNG's own size")
            self.assertEqual(sent, CHART_SIZE, "the chart has %gradflow's size")
            self.assertGreater(img["shown"], 100, "the chart is laid out on the page")
            page.wait_for_timeout(300)
            page.screenshot(path=os.path.join(self.out, shot))
            if errors:  # JupyterLab's own noise (debugger, file browser) is no failure of ours
                print(f"{len(errors)} page errors, such as: {sorted(set(errors))[:3]}", file=sys.stderr)
            return sent
        except Exception:
            page.screenshot(path=os.path.join(self.out, "failed-" + shot))
            raise
        finally:
            page.close()

    def saved_outputs(self, page, path):
        """Saves the notebook from the page (File > Save) and returns each code cell's outputs as saved."""
        os_path = os.path.join(self.server.root, path)
        before = os.stat(os_path).st_mtime_ns
        page.click("#jp-MainMenu >> text=File", timeout=30_000)
        page.click('.lm-Menu li[data-command="docmanager:save"]', timeout=30_000)
        deadline = time.monotonic() + 60
        while True:
            nb = self.server.saved(path) if os.stat(os_path).st_mtime_ns != before else None
            if nb is not None:
                break
            if time.monotonic() > deadline:
                raise AssertionError("the front end did not save the notebook within 60 s")
            time.sleep(0.5)
        return [c.get("outputs", []) for c in nb["cells"] if c["cell_type"] == "code"]

    def test_notebook7(self):
        size = self.run_notebook(f"{self.server.base}/notebooks/nb7/{self.name}?token={self.server.token}",
                                 f"nb7/{self.name}", "notebook7.png")
        print(f"Notebook 7: chart {size[0]}x{size[1]}, screenshot {os.path.join(self.out, 'notebook7.png')}")

    def test_jupyterlab4(self):
        size = self.run_notebook(f"{self.server.base}/lab/tree/lab/{self.name}?token={self.server.token}",
                                 f"lab/{self.name}", "jupyterlab4.png")
        print(f"JupyterLab 4: chart {size[0]}x{size[1]}, screenshot {os.path.join(self.out, 'jupyterlab4.png')}")


if __name__ == "__main__":
    unittest.main()
