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

const SHOWN_CHARS = 100

/** A value as a message shows it: JSON, long text cut with its length said. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length > SHOWN_CHARS
      ? `${JSON.stringify(value.slice(0, SHOWN_CHARS))}… (${value.length} characters)`
      : JSON.stringify(value)
  if (value === undefined) return 'nothing'
  if (typeof value === 'number') return String(value)
  try {
    const text = JSON.stringify(value) ?? String(value)
    return text.length > SHOWN_CHARS * 2 ? `${text.slice(0, SHOWN_CHARS * 2)}…` : text
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
