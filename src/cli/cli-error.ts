// CliError: a mistake in the command's input (a flag value, a missing or malformed file). main.ts
// prints its message as one line on stderr and exits with code 2; nothing else catches it.
export class CliError extends Error {
  override name = 'CliError';
}
