// Errors named by cause. Only main.ts turns them into exit codes (see README "Exit codes").

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  changesPending: 3,
  precondition: 4,
  budgetBreached: 5,
  drillFailed: 6,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the operator can act on: a message and, optionally, the next thing to try. */
export class UserError extends Error {
  readonly exitCode: ExitCode = ExitCode.failure;
  constructor(
    message: string,
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments. */
export class UsageError extends UserError {
  override readonly exitCode = ExitCode.usage;
}

export interface ConfigDiagnostic {
  file: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
}

/** mac.yaml (or another config file) is invalid; carries every problem found, not just the first. */
export class ConfigError extends UserError {
  override readonly exitCode = ExitCode.usage;
  constructor(
    readonly diagnostics: ConfigDiagnostic[],
    suggestion?: string,
  ) {
    super(ConfigError.describe(diagnostics), suggestion);
  }

  static describe(diagnostics: ConfigDiagnostic[]): string {
    const n = diagnostics.length;
    const lines = diagnostics.map((d) => {
      const where = d.line ? `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}` : d.file;
      return `  ${where}  ${d.path || '(root)'}: ${d.message}`;
    });
    return [`${n} problem${n === 1 ? '' : 's'} in configuration:`, ...lines].join('\n');
  }
}

/** Something must be true before the command can run: a tool, a login, a free lock. */
export class PreconditionError extends UserError {
  override readonly exitCode = ExitCode.precondition;
}

/** Infrastructure changes are pending (plan / check modes). */
export class ChangesPendingError extends UserError {
  override readonly exitCode = ExitCode.changesPending;
}

/** Spend crossed a threshold the operator asked to fail on. */
export class BudgetBreachedError extends UserError {
  override readonly exitCode = ExitCode.budgetBreached;
}

/** A disaster-recovery drill's verdict is FAIL. */
export class DrillFailedError extends UserError {
  override readonly exitCode = ExitCode.drillFailed;
}

/** The operator interrupted (Ctrl-C) or declined a prompt. */
export class InterruptedError extends UserError {
  override readonly exitCode = ExitCode.interrupted;
}

/** A failure the command reports as its outcome (smoke test failed, rollback done): already explained. */
export class FailedError extends UserError {}
