// The process boundary: every external binary runs through a Runner, so tests can swap it at the wire.
import { StringDecoder } from 'node:string_decoder';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  input?: string;
  /** Called with each stdout line as it arrives (live progress of long commands); stdout is still returned whole. */
  onStdoutLine?: (line: string) => void;
}

export interface RunResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** The binary is not installed (ENOENT). */
  notFound: boolean;
  timedOut: boolean;
}

export interface Runner {
  run(file: string, args: string[], options?: RunOptions): Promise<RunResult>;
}

/** Runs real binaries with execa; never a shell, so arguments are never interpreted. */
export const execaRunner: Runner = {
  async run(file, args, options = {}) {
    const { execa } = await import('execa');
    const child = execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: true,
      timeout: options.timeoutMs,
      input: options.input,
      reject: false,
      stripFinalNewline: true,
    });
    const onLine = options.onStdoutLine;
    let partial = '';
    if (onLine) {
      // A character split across two chunks is held back by the decoder, not mangled.
      const decoder = new StringDecoder('utf8');
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (partial + decoder.write(chunk)).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
    }
    const result = await child;
    if (onLine && partial) onLine(partial);
    const code = (result as { code?: string }).code;
    return {
      exitCode: result.exitCode,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      notFound: code === 'ENOENT',
      timedOut: Boolean(result.timedOut),
    };
  },
};
