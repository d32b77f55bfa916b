// Runs in main: values written as source text of the languages the snippets are in.
import type { ParamValue } from '../../shared/searchSpace.ts'

function finite(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`cannot write ${v} into a snippet`)
  return String(v)
}

/** A Python literal (JSON string escapes are valid Python escapes). */
export function pyLiteral(v: ParamValue | null): string {
  if (v === null) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (typeof v === 'number') return finite(v)
  return JSON.stringify(v)
}

/** A JavaScript literal, single-quoted strings as the project's style. */
export function jsLiteral(v: ParamValue | null): string {
  if (v === null) return 'null'
  if (typeof v === 'number') return finite(v)
  if (typeof v === 'boolean') return String(v)
  return `'${JSON.stringify(v).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`
}

/** One word for a POSIX shell: as it is when it is plainly safe, otherwise single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** The shortest text of a number for a comment (the value of a trial). */
export function formatNumber(v: number | null): string {
  if (v === null) return 'none'
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)))
}
