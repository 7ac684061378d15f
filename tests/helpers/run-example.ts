// runExample: runs a program of examples/node/ as a user runs it from the repository
// (`node --import tsx examples/node/<name>.ts ARGS…`, where 'simdgrad' resolves to the sources
// through the repository's tsconfig.json paths, whatever the working directory), in a child process, and resolves to its exit code and output —
// a non-zero exit is returned, not thrown, so a test can show the output it failed on.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** tsx, and the tsconfig.json whose paths map 'simdgrad' to src/, from any working directory. */
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
const tsconfig = join(root, 'tsconfig.json');

export interface ExampleRun { code: number; stdout: string; stderr: string }

/** Runs examples/node/`name` with `args` (cwd: `cwd`, default the repository). */
export function runExample(name: string, args: string[] = [], { cwd = root, timeout = 60_000, env = {} }: { cwd?: string; timeout?: number; env?: Record<string, string> } = {}): Promise<ExampleRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', tsx, join(root, 'examples', 'node', name), ...args],
      { cwd, timeout, maxBuffer: 1 << 24, env: { ...process.env, NO_COLOR: '1', TSX_TSCONFIG_PATH: tsconfig, ...env } }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr: err && !stderr ? err.message : stderr });
      });
  });
}
