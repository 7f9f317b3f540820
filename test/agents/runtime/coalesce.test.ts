import { describe, expect, it } from 'vitest';
import { coalesced } from '../../../src/agents/runtime/coalesce.js';

/** A task whose runs finish when the test says so. */
function controlled() {
  const finishes: (() => void)[] = [];
  const fails: ((err: Error) => void)[] = [];
  let runs = 0;
  const task = () =>
    new Promise<void>((resolve, reject) => {
      runs++;
      finishes.push(resolve);
      fails.push(reject);
    });
  return { task, runs: () => runs, finish: (i: number) => finishes[i]!(), fail: (i: number) => fails[i]!(new Error(`run ${i} failed`)) };
}

const settled = () => new Promise((r) => setImmediate(r));

describe('coalesced', () => {
  it('runs once more for any number of calls that arrive during a run, and each caller waits for the run covering it', async () => {
    const c = controlled();
    const refresh = coalesced(c.task);
    const first = refresh();
    const during = Array.from({ length: 1000 }, () => refresh());
    expect(c.runs()).toBe(1);
    let firstDone = false;
    let duringDone = false;
    void first.then(() => (firstDone = true));
    void Promise.all(during).then(() => (duringDone = true));
    c.finish(0);
    await settled();
    expect([firstDone, duringDone, c.runs()]).toEqual([true, false, 2]);
    c.finish(1);
    await settled();
    expect([duringDone, c.runs()]).toEqual([true, 2]);
    // Idle again: the next call runs at once.
    void refresh();
    expect(c.runs()).toBe(3);
    c.finish(2);
  });

  it('a call between the end of a run and the start of the queued one joins the queued one: never two at once', async () => {
    const c = controlled();
    const refresh = coalesced(c.task);
    void refresh();
    const queued = refresh();
    c.finish(0);
    await Promise.resolve(); // run 0 has settled; the queued run has not started yet
    const late = refresh();
    await settled();
    expect(c.runs()).toBe(2);
    c.finish(1);
    await expect(Promise.all([queued, late])).resolves.toEqual([undefined, undefined]);
    expect(c.runs()).toBe(2);
  });

  it('still runs the queued refresh after a failed run, and reports the failure to the callers of that run only', async () => {
    const c = controlled();
    const refresh = coalesced(c.task);
    const first = refresh();
    const later = refresh();
    c.fail(0);
    await expect(first).rejects.toThrow('run 0 failed');
    await settled();
    expect(c.runs()).toBe(2);
    c.finish(1);
    await expect(later).resolves.toBeUndefined();
  });
});
