// Output discipline: results to stdout, progress and hints to stderr, decoration only on a TTY.
// With --json, stdout carries exactly one JSON document, or NDJSON events for long-running commands.
import { createRequire } from 'node:module';
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface IoOptions {
  stdout: OutStream;
  stderr: OutStream;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

export interface Step {
  done(detail?: string): void;
  fail(detail?: string): void;
  skip(detail?: string): void;
}

export type Column<R> = { header: string; value: (row: R) => string | number; align?: 'left' | 'right' };

const require = createRequire(import.meta.url);
// Borderless, like `gh` and `kubectl` tables: easy to read and to grep.
const TABLE_BORDERS = ['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid', 'middle'];

export class Io {
  json = false;
  /** Long-running commands stream NDJSON events under --json instead of printing one result document. */
  streaming = false;
  debug = false;
  promptsAllowed: boolean;
  private colorOn: boolean;
  private readonly now: () => number;

  constructor(private readonly o: IoOptions) {
    this.now = o.now ?? Date.now;
    this.colorOn = Io.colorFromEnv(o.env, Boolean(o.stderr.isTTY));
    this.promptsAllowed = o.stdinIsTTY && !isCi(o.env);
  }

  static colorFromEnv(env: NodeJS.ProcessEnv, tty: boolean): boolean {
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
    if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
    return tty && env.TERM !== 'dumb';
  }

  /** Applies the global flags once they are parsed. */
  configure(flags: { json?: boolean; debug?: boolean; color?: boolean; prompt?: boolean }): void {
    this.json = Boolean(flags.json);
    this.debug = Boolean(flags.debug);
    if (flags.color === false) this.colorOn = false;
    if (flags.prompt === false) this.promptsAllowed = false;
  }

  get color(): boolean {
    return this.colorOn;
  }

  get isTTY(): boolean {
    return Boolean(this.o.stdout.isTTY);
  }

  style(style: Style, text: string): string {
    return this.colorOn ? styleText(style, text) : text;
  }

  /** A result line on stdout (suppressed in --json mode, where `result` is the only output). */
  out(text = ''): void {
    if (!this.json) this.o.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Whether the command's JSON document has been printed (an error after it must not print a second one). */
  resultWritten = false;

  /** The command's single JSON document. */
  result(doc: unknown): void {
    this.resultWritten = true;
    // A streaming command ends its NDJSON stream with the result as the last event (or an `error` event).
    if (this.streaming) {
      const type = doc && typeof doc === 'object' && 'error' in doc && Object.keys(doc).length === 1 ? 'error' : 'result';
      this.o.stdout.write(`${JSON.stringify({ type, ts: new Date(this.now()).toISOString(), data: type === 'error' ? (doc as { error: unknown }).error : doc })}\n`);
      return;
    }
    this.o.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }

  /** One NDJSON event of a long-running command ({type, ts, data}); stderr progress otherwise. */
  event(type: string, data: Record<string, unknown>): void {
    if (this.json && this.streaming) this.o.stdout.write(`${JSON.stringify({ type, ts: new Date(this.now()).toISOString(), data })}\n`);
  }

  info(text: string): void {
    this.o.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.o.stderr.write(`${this.style('yellow', 'warning:')} ${text}\n`);
  }

  error(text: string, suggestion?: string): void {
    this.o.stderr.write(`${this.style('red', 'error:')} ${text}\n`);
    if (suggestion) this.o.stderr.write(`${this.style('dim', 'hint:')} ${suggestion}\n`);
  }

  /**
   * A progress line on stderr, closed with its outcome and elapsed time; under --json a streaming command gets
   * an NDJSON event pair on stdout instead.
   */
  step(label: string): Step {
    const started = this.now();
    const lines = !(this.json && this.streaming);
    this.event('step.start', { step: label });
    if (lines && this.isStderrTTY) this.o.stderr.write(`${this.style('dim', '…')} ${label}\n`);
    const finish = (status: 'ok' | 'failed' | 'skipped', mark: string, detail?: string) => {
      const seconds = ((this.now() - started) / 1000).toFixed(1);
      this.event('step.end', { step: label, status, detail, seconds: Number(seconds) });
      if (lines) {
        const tail = detail ? ` ${this.style('dim', `— ${detail}`)}` : '';
        this.o.stderr.write(`${mark} ${label}${tail} ${this.style('dim', `(${seconds}s)`)}\n`);
      }
    };
    return {
      done: (detail) => finish('ok', this.style('green', '✓'), detail),
      fail: (detail) => finish('failed', this.style('red', '✗'), detail),
      skip: (detail) => finish('skipped', this.style('dim', '-'), detail),
    };
  }

  /** Renders rows as a table (cli-table3, loaded only when a table is printed). */
  table<R>(rows: R[], columns: Column<R>[]): string {
    const Table = require('cli-table3') as typeof import('cli-table3');
    const table = new Table({
      head: columns.map((c) => this.style('bold', c.header)),
      colAligns: columns.map((c) => c.align ?? 'left'),
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
      chars: Object.fromEntries(TABLE_BORDERS.map((k) => [k, ''])),
    });
    for (const row of rows) table.push(columns.map((c) => String(c.value(row))));
    return table
      .toString()
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n');
  }

  private get isStderrTTY(): boolean {
    return Boolean(this.o.stderr.isTTY);
  }
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** An Io over in-memory buffers, for tests and for capturing output. */
export function memoryIo(options: Partial<IoOptions> = {}): Io & { stdoutText(): string; stderrText(): string } {
  let out = '';
  let err = '';
  const io = new Io({
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    stdinIsTTY: false,
    env: {},
    ...options,
  });
  return Object.assign(io, { stdoutText: () => out, stderrText: () => err });
}
