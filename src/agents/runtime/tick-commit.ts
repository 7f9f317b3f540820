// Group commit across writers: what the conversation turns, the event bus outbox and the bus's subscribers queue on
// one database connection during a turn of the event loop is written in ONE transaction on the next setImmediate.
// A commit writes every dirty page to the WAL, so a request that finished with three commits (turns, outbox,
// delivered mark) now costs one. Each writer's part runs in a savepoint of its own (its `db.transaction` nests), so
// a writer that fails rolls back alone and the others still commit.
import type { Database } from 'better-sqlite3';

export interface TickWriter {
  /** Writes what is pending; runs inside the tick's transaction. */
  write(): void;
  /** After the tick: `failure` holds what this writer's part (or the whole transaction) threw. May rethrow it. */
  settle(failure?: { error: unknown }): void;
}

export interface TickCommitter {
  /** Has `writer` write its pending work in the next tick's transaction. */
  schedule(writer: TickWriter): void;
}

// One per connection: a connection has one transaction at a time, so its batched writers share it.
const committers = new WeakMap<Database, TickCommitter>();

export function tickCommitter(db: Database): TickCommitter {
  let committer = committers.get(db);
  if (!committer) committers.set(db, (committer = createTickCommitter(db)));
  return committer;
}

function createTickCommitter(db: Database): TickCommitter {
  const due = new Set<TickWriter>();
  let scheduled = false;
  const writeAll = db.transaction((writers: TickWriter[]) =>
    writers.map((w) => {
      try {
        w.write();
        return undefined;
      } catch (error) {
        return { error };
      }
    }),
  );

  function run(): void {
    scheduled = false;
    const writers = [...due];
    due.clear();
    let failures: ({ error: unknown } | undefined)[];
    try {
      failures = writeAll(writers);
    } catch (error) {
      failures = writers.map(() => ({ error }));
    }
    // Every writer hears the outcome before a rethrown failure leaves this callback.
    let rethrown: { error: unknown } | undefined;
    writers.forEach((w, i) => {
      try {
        w.settle(failures[i]);
      } catch (error) {
        rethrown ??= { error };
      }
    });
    if (rethrown) throw rethrown.error;
  }

  return {
    schedule(writer) {
      due.add(writer);
      if (scheduled) return;
      scheduled = true;
      setImmediate(run);
    },
  };
}
