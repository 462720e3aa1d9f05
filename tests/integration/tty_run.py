#!/usr/bin/env python3
"""tty_run.py - run a command with standard output and/or standard error on a
pseudo-terminal, for the tests of what tcplint does only on a terminal
(colour with --color=auto, the progress meter).

  tty_run.py [--stdout-tty] [--stderr-tty] [--timeout SECS] OUT ERR CMD...

The streams named go to one pseudo-terminal (python3's pty module: nothing
to install beyond python3); what the terminal receives is saved in OUT when
standard output is on it, else in ERR. The other stream goes to its file
as is. Standard input is /dev/null. Output processing is off on the
terminal (no \\n -> \\r\\n), so the saved bytes are what the command wrote.
The command is killed after SECS (default 30); exits with its status, 124
after a timeout.
"""

import os
import pty
import select
import subprocess
import sys
import termios
import time


def main(argv):
    out_tty = err_tty = False
    timeout = 30.0
    args = argv[1:]
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--stdout-tty":
            out_tty = True
        elif opt == "--stderr-tty":
            err_tty = True
        elif opt == "--timeout" and args:
            timeout = float(args.pop(0))
        else:
            sys.stderr.write("tty_run.py: unknown option %s\n" % opt)
            return 2
    if len(args) < 3 or not (out_tty or err_tty):
        sys.stderr.write(__doc__)
        return 2
    out_path, err_path, cmd = args[0], args[1], args[2:]

    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    seen = bytearray()
    rc = 0
    with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=slave if out_tty else fo,
                                stderr=slave if err_tty else fe)
        os.close(slave)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                proc.kill()
                rc = 124
                break
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every writer of the terminal is gone
                break
            if not data:
                break
            seen += data
        status = proc.wait()
        if rc == 0:
            rc = status if status >= 0 else 128 - status
        (fo if out_tty else fe).write(seen)
    os.close(master)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
