/**
 * Runs a command in a real pseudo-terminal (Python's pty module, from the standard library) and answers
 * prompts: each step waits for a text on the terminal, then types its input. Returns the transcript and the
 * exit code (128 + signal when killed).
 */
import { execa } from 'execa';

const DRIVER = String.raw`
import json, os, pty, select, sys, time
spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
out = b""
deadline = time.time() + spec["timeout"]
steps = list(spec["steps"])
def pump(t):
    global out
    r, _, _ = select.select([fd], [], [], t)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out += data
    return True
alive = True
while alive and time.time() < deadline:
    if steps and steps[0]["waitFor"].encode() in out:
        os.write(fd, steps.pop(0)["send"].encode())
        out += b"<<SENT>>"
    alive = pump(0.05)
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
print(json.dumps({"code": code, "output": out.decode("utf-8", "replace"), "pending": len(steps)}))
`;

export interface PtyStep {
  waitFor: string;
  send: string;
}

export async function runInPty(
  argv: string[],
  options: { cwd: string; env: Record<string, string | undefined>; steps: PtyStep[]; timeoutMs?: number },
): Promise<{ code: number; output: string; pending: number }> {
  const env = Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined));
  const spec = { argv, cwd: options.cwd, env: { TERM: 'xterm', ...env }, steps: options.steps, timeout: (options.timeoutMs ?? 10_000) / 1000 };
  const { stdout } = await execa('python3', ['-c', DRIVER, JSON.stringify(spec)], { timeout: (options.timeoutMs ?? 10_000) + 5000 });
  return JSON.parse(stdout) as { code: number; output: string; pending: number };
}
