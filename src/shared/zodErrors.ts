import type { z } from 'zod'
import { formatValue, specError, type SpecError } from './specError.ts'

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[k]
  }
  return v
}

export function joinPath(base: string, path: readonly PropertyKey[]): string {
  let out = base
  for (const k of path)
    out = typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${String(k)}` : String(k)
  return out
}

/** Turns zod issues into SpecErrors that name the path, the rule and the value found. */
export function zodIssuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  base = '',
): SpecError[] {
  const out: SpecError[] = []
  for (const issue of issues) {
    const value = valueAt(root, issue.path)
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = joinPath(base, [...issue.path, key])
        out.push(
          specError(at, 'unknown-key', valueAt(root, [...issue.path, key]), `unknown key "${key}"`),
        )
      }
      continue
    }
    const at = joinPath(base, issue.path) || '(file)'
    if (issue.code === 'invalid_type' && value === undefined) {
      out.push(specError(at, 'required', value, `is required (${issue.expected})`))
    } else if (issue.code === 'invalid_value') {
      const allowed = issue.values.map((v) => formatValue(v)).join(', ')
      out.push(specError(at, 'enum', value, `must be one of ${allowed}, got ${formatValue(value)}`))
    } else if (issue.code === 'too_small' || issue.code === 'too_big') {
      const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum)
      const op =
        issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<'
      out.push(
        specError(
          at,
          issue.code === 'too_small' ? 'min' : 'max',
          value,
          `must be ${op} ${bound}, got ${formatValue(value)}`,
        ),
      )
    } else {
      out.push(specError(at, issue.code, value, `${issue.message}, got ${formatValue(value)}`))
    }
  }
  return out
}
