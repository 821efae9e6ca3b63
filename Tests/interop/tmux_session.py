"""A program in a private tmux server (its own socket), for tests that type into it and
read its screen."""
import os
import re
import subprocess
import time

BIN = os.environ.get("CONTACT_IMPORT_BIN")


class TmuxUI:
    """`command` in a private tmux server, with the CONTACT_IMPORT_* settings of `env` in its environment."""

    def __init__(self, command, cwd, env, width=220, height=40):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        self.socket = f"interop-{os.getpid()}-{time.monotonic_ns()}"
        variables = []
        for name, value in env.items():
            if name.startswith("CONTACT_IMPORT_") or name in ("HOME", "XDG_CONFIG_HOME"):
                variables += ["-e", f"{name}={value}"]
        self.tmux(["-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height),
                   "-c", str(cwd), "-e", "LANG=C.UTF-8", "-e", "NO_COLOR=", *variables, command])
        self.tmux(["set-option", "-t", "app", "remain-on-exit", "on"])

    def tmux(self, args, check=True):
        result = subprocess.run(["tmux", "-L", self.socket] + args, capture_output=True, text=True, timeout=15)
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def screen(self, joined=False):
        return self.tmux(["capture-pane", "-p", *(["-J"] if joined else []), "-t", "app"])

    def keys(self, *names):
        self.tmux(["send-keys", "-t", "app", *names])

    def type(self, text):
        self.tmux(["send-keys", "-t", "app", "-l", text])

    def wait_for(self, pattern, timeout=20):
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, re.MULTILINE)
        while time.monotonic() < deadline:
            match = regex.search(self.screen())
            if match:
                return match
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {pattern!r}; the screen shows:\n{self.screen()}")

    def kill(self):
        self.tmux(["kill-server"], check=False)
