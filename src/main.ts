// Entry point: build deps and program, run, and turn every outcome into an exit code (here and only here).
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Deps } from './deps.js';
import { ExitCode, UserError } from './errors.js';
import { Io } from './io.js';
import { buildProgram, CommanderError } from './program.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The real process: its streams, working directory and environment. */
function processDeps(): Deps {
  // process.stdin and process.stderr open their stream when first read: ask isatty instead, and open stderr only to
  // write to it (`mac --help` reads no input and writes only to stdout).
  const stderr = { write: (s: string) => process.stderr.write(s), isTTY: isatty(2) };
  return new Deps({
    io: new Io({ stdout: process.stdout, stderr, stdinIsTTY: isatty(0), env: process.env }),
    cwd: process.cwd(),
    env: process.env,
  });
}

export async function main(argv: string[], deps: Deps = processDeps()): Promise<number> {
  const program = await buildProgram(deps, packageVersion(), argv.slice(2));
  const onSigint = () => {
    // A command that stops gracefully on Ctrl-C (mac dev) has its own listener; otherwise stop now.
    if (process.listenerCount('SIGINT') > 1) return;
    deps.io.info('\nInterrupted.');
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSigint);
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (err) {
    return reportError(err, deps);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export function reportError(err: unknown, deps: Deps): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  const io = deps.io;
  if (err instanceof UserError) {
    if (io.json && !io.resultWritten) io.result({ error: { type: err.name, message: err.message, suggestion: err.suggestion, exitCode: err.exitCode } });
    io.error(err.message, err.suggestion);
    if (io.debug && err.stack) io.info(err.stack);
    return err.exitCode;
  }
  const error = err instanceof Error ? err : new Error(String(err));
  if (io.json && !io.resultWritten) io.result({ error: { type: 'InternalError', message: error.message, exitCode: ExitCode.failure } });
  if (io.debug) io.error(error.stack ?? error.message);
  else io.error(`${error.message}`, 'This is a bug in mac: please report it with the output of the same command run with --debug.');
  return ExitCode.failure;
}
