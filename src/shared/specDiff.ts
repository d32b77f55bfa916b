import { formatValue } from './specError.ts'

/** Paths where two JSON-like values differ, with both values: `tuner.delta: 0.4 → 0.2`. */
export function specDiff(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return []
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    return keys.flatMap((k) => specDiff(a[k], b[k], path ? `${path}.${k}` : k))
  }
  return [`${path || '(whole)'}: ${formatValue(a)} → ${formatValue(b)}`]
}
