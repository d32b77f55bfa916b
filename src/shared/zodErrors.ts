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
    } else if (issue.code === 'invalid_type') {
      const a = /^[aeiou]/.test(issue.expected) ? 'an' : 'a'
      out.push(
        specError(at, 'type', value, `must be ${a} ${issue.expected}, got ${formatValue(value)}`),
      )
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

/** The label of a tuple item: its `.describe()` text, or that of the schema it makes optional. */
function itemLabel(tuple: z.ZodType, index: number): string | undefined {
  const items = (tuple as unknown as { def?: { items?: z.ZodType[] } }).def?.items
  const item = items?.[index] as (z.ZodType & { unwrap?: () => z.ZodType }) | undefined
  return item?.description ?? item?.unwrap?.().description
}

/**
 * Errors of an argument tuple (a StudioApi call): an argument with a `.describe()` label is named by
 * it ("study name: …"), the others by position ("args[0]: …").
 */
export function argumentErrors(
  tuple: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  args: unknown,
): SpecError[] {
  return issues.flatMap((issue) => {
    const index = issue.path[0]
    const label = typeof index === 'number' ? itemLabel(tuple, index) : undefined
    if (!label) return zodIssuesToErrors([issue], args, 'args')
    const value = Array.isArray(args) ? args[index as number] : undefined
    return zodIssuesToErrors([{ ...issue, path: issue.path.slice(1) }], value, label)
  })
}
