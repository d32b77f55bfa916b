// Runs in the renderer: how numbers and times read in tables.

/** A number as tables show it: 5 significant digits unless told more. */
export function formatNumber(v: number | null | undefined, digits = 5): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  if (Number.isInteger(v)) return String(v)
  const a = Math.abs(v)
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 2)
  return String(Number(v.toPrecision(digits)))
}

export function formatParam(v: unknown, digits = 5): string {
  if (v === undefined) return ''
  return typeof v === 'number' ? formatNumber(v, digits) : String(v)
}

/**
 * Significant digits that tell these values apart (at least 5): two floats that differ only past
 * the fifth digit are shown with as many as it takes, so a "changed" mark is never a mystery.
 */
export function distinguishingDigits(values: readonly unknown[]): number {
  const nums = [...new Set(values.filter((v): v is number => typeof v === 'number'))]
  for (let d = 5; d < 17; d++)
    if (new Set(nums.map((v) => formatNumber(v, d))).size === nums.length) return d
  return 17
}

export function timeAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return ''
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`
  return `${Math.floor(s / 86_400)} d ago`
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return ''
  if (ms < 1000) return `${ms} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
}

/** An ISO time in the user's time zone, to the second ("12/03/2025, 14:05:09" in their locale). */
export function localTime(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { hour12: false })
}
