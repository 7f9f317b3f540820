import { describe, expect, it } from 'vitest';
import { Io, memoryIo } from '../src/io.js';

describe('io', () => {
  it('under --json, stdout holds only the result document; progress goes to stderr', () => {
    const io = memoryIo();
    io.configure({ json: true });
    io.step('Indexing').done('27 documents');
    io.out('human text');
    io.result({ ok: true });
    expect(JSON.parse(io.stdoutText())).toEqual({ ok: true });
    expect(io.stderrText()).toMatch(/✓ Indexing — 27 documents \(\d+\.\ds\)/);
  });

  it('a streaming command writes NDJSON events {type, ts, data} and no stderr lines', () => {
    const io = memoryIo({ now: () => 0 });
    io.configure({ json: true });
    io.streaming = true;
    io.step('Deploy').fail('smoke failed');
    const events = io.stdoutText().trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toEqual([
      { type: 'step.start', ts: '1970-01-01T00:00:00.000Z', data: { step: 'Deploy' } },
      { type: 'step.end', ts: '1970-01-01T00:00:00.000Z', data: { step: 'Deploy', status: 'failed', detail: 'smoke failed', seconds: 0 } },
    ]);
    expect(io.stderrText()).toBe('');
  });

  it('honours NO_COLOR and FORCE_COLOR', () => {
    expect(Io.colorFromEnv({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(Io.colorFromEnv({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(Io.colorFromEnv({}, true)).toBe(true);
    expect(Io.colorFromEnv({ TERM: 'dumb' }, true)).toBe(false);
  });
});

describe('errors under --json', () => {
  it('a command that printed its report and then fails prints no second document', async () => {
    const { Deps } = await import('../src/deps.js');
    const { reportError } = await import('../src/main.js');
    const { FailedError } = await import('../src/errors.js');
    const io = memoryIo();
    io.configure({ json: true });
    const deps = new Deps({ io, cwd: process.cwd(), env: {} });
    io.result({ pass_rate: 0.5 });
    expect(reportError(new FailedError('Pass rate 50% is below 95%.'), deps)).toBe(1);
    expect(JSON.parse(io.stdoutText())).toEqual({ pass_rate: 0.5 });
    expect(io.stderrText()).toMatch(/Pass rate 50% is below 95%/);
  });
});
