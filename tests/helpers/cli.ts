// The `simdgrad` command run from source (node --import tsx src/cli/main.ts) in a child process
// at the repository root: its exit code (-1 when killed by the timeout), stdout and stderr.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun { code: number; stdout: string; stderr: string }

/** A runner whose child is killed after `timeoutMs`. @example const cli = cliRunner(60_000); await cli('tune', '--help'); */
export function cliRunner(timeoutMs = 20_000): (...args: string[]) => Promise<CliRun> {
  return (...args) => new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** @example const r = await runCli('tune', '--help'); // r.code 0, r.stdout the help */
export const runCli = cliRunner();
