// A refresh that a burst of events asks for once: a bulk edit of 1,000 products sends 1,000 webhooks, and each
// refetching the whole catalogue would be 1,000 full reads of the shop.

/**
 * Wraps `task` so that calls while it runs share one more run after it: however many calls arrive during a run,
 * `task` runs at most once more, and every caller's promise settles with the run that covers its call.
 */
export function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const run: Promise<void> = task().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  return () => {
    // Between a run's end and the start of the one queued behind it, `running` is unset: join the queued one.
    if (queued) return queued;
    if (!running) return start();
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };
}
