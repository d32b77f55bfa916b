// Runs in the CLI: exit codes of study-file.md and the one way commands fail.
export const EXIT = { ok: 0, studyFailed: 1, badInput: 2, requested: 3, interrupted: 130 } as const

/** An expected failure: its message is printed as is, and the process exits with its code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}
