// The `simdgrad` command run from source (node --import tsx src/cli/main.ts) in a child process
// at the repository root: its exit code (-1 when killed by the 20 s timeout), stdout and stderr.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** @example const r = await runCli('tune', '--help'); // r.code 0, r.stdout the help */
export function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
