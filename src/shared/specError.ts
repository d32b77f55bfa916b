/** A validation error as data: the path at fault, the rule broken, the value found, and a message that says all three. */
export interface SpecError {
  path: string
  rule: string
  value: unknown
  message: string
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: SpecError[] }

export function specError(path: string, rule: string, value: unknown, detail: string): SpecError {
  return { path, rule, value, message: `${path}: ${detail}` }
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === undefined) return 'nothing'
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Thrown where a caller wants an exception rather than a Parsed result; carries every error. */
export class SpecValidationError extends Error {
  constructor(readonly errors: SpecError[]) {
    super(errors.map((e) => e.message).join('\n'))
    this.name = 'SpecValidationError'
  }
}
