"""`jupyter console --kernel nnlab`, driven through pexpect: a class typed over several lines runs once
it is complete, which needs is_complete_request to answer "incomplete" until the closing brace."""
import os
import sys
import unittest

from nnlab_kernel import ensure_kernelspec

try:
    import jupyter_console  # noqa: F401
    import pexpect
except ImportError as e:  # Debian's python has no jupyter_console; the venv has
    raise unittest.SkipTest(f"needs jupyter_console and pexpect: {e}")

# prompt_toolkit colours the prompts, so the patterns allow escape sequences inside them
ESC = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"
PROMPT = r"In \[" + ESC + r"\d+" + ESC + r"\]: "
MORE = r"\.\.\.: "


class Console(unittest.TestCase):
    def setUp(self):
        ensure_kernelspec()
        # the full prompt_toolkit front end: --simple-prompt does not support multi-line input
        self.child = pexpect.spawn(sys.executable, ["-m", "jupyter_console", "--kernel", "nnlab"],
                                   env=dict(os.environ, TERM="xterm"), encoding="utf-8", timeout=60,
                                   dimensions=(40, 200))
        self.child.expect(PROMPT)
        self.enter("1 + 1")
        self.child.expect(r"Out\[" + ESC + r"\d+" + ESC + r"\]: " + ESC + "2")
        self.child.expect(PROMPT)

    def enter(self, line):
        self.child.send(line + "\r")

    def tearDown(self):
        c = self.child
        c.sendcontrol("d")
        if c.expect([r"\(\[y\]/n\)", pexpect.EOF]) == 0:
            c.send("y\r")
            c.expect(pexpect.EOF)

    def test_multi_line_class(self):
        c = self.child
        self.enter("class Greeter {")
        c.expect(MORE)
        self.enter('String hi(String who) { return "hi " + who; }')
        c.expect(MORE)
        self.enter("}")
        c.expect(PROMPT)
        self.enter('new Greeter().hi("nnlab")')
        c.expect(r"Out\[" + ESC + r"\d+" + ESC + r"\]: " + ESC + "hi nnlab")
        c.expect(PROMPT)


if __name__ == "__main__":
    unittest.main()
