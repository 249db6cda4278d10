"""Runs a command under a real pseudo-terminal for the e2e tests (test/helpers/pty.ts).

Usage: python3 pty-driver.py ROWS COLS -- COMMAND [ARG...]
Our stdin is copied to the terminal's input (keystrokes), the terminal's output to our stdout. When the
command ends, the last line on stderr is "exit:<code>" (128+N when killed by signal N).
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios

rows, cols = int(sys.argv[1]), int(sys.argv[2])
argv = sys.argv[4:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
stdin_fd = sys.stdin.fileno()
out = sys.stdout.buffer
stdin_open = True
while True:
    watch = [fd] + ([stdin_fd] if stdin_open else [])
    ready, _, _ = select.select(watch, [], [], 0.2)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the command closed the terminal
            data = b""
        if not data:
            break
        out.write(data)
        out.flush()
    if stdin_open and stdin_fd in ready:
        data = os.read(stdin_fd, 65536)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False

_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
if code < 0:
    code = 128 - code
sys.stderr.write("exit:%d\n" % code)
sys.stderr.flush()
