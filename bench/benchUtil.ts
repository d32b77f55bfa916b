// Shared by every benchmark: the machine it ran on and where results go.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results')

export function machineInfo() {
  return {
    host: os.hostname(),
    platform: `${os.platform()} ${os.release()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
    // How busy the machine was: a load above `cores`, or CPU time far below the run's wall time, means
    // other work slowed this run and its timings are inflated.
    loadAverage1m5m15m: os.loadavg().map((l) => Math.round(l * 100) / 100),
    processCpuSeconds:
      Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e4) / 100,
  }
}

/** Flags of this `npm run bench` call (`--quick`, `--seeds=3`…): any of them makes a run partial. */
const runFlags = (): string[] => process.argv.slice(2).filter((a) => a.startsWith('-'))

/**
 * Writes the result with the machine noted; returns the path. A full run (no flags, nothing missing)
 * writes bench/results/NAME.json, the file README and docs cite and git keeps; any other run writes
 * bench/results/scratch/NAME-TIMESTAMP.json, which git ignores.
 */
export function writeBenchResult(
  name: string,
  data: unknown,
  options: { partial?: boolean } = {},
): string {
  const partial = options.partial || runFlags().length > 0 || process.env.HPO_BENCH_QUICK === '1'
  const dir = partial ? path.join(RESULTS_DIR, 'scratch') : RESULTS_DIR
  mkdirSync(dir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const file = path.join(dir, partial ? `${name}-${stamp}.json` : `${name}.json`)
  writeFileSync(
    file,
    JSON.stringify({ benchmark: name, machine: machineInfo(), ...(data as object) }, null, 2),
  )
  return file
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo)
}

/** The value of `--name=value` among the arguments ('' for a bare `--name`), or undefined. */
export function option(args: readonly string[], name: string): string | undefined {
  const hit = args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (hit === undefined) return undefined
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : ''
}

/** A figure for a table: integers from 100, two decimals from 1, else three significant digits. */
export function formatFigure(x: number): string {
  if (!Number.isFinite(x)) return String(x)
  if (x === 0) return '0'
  if (Math.abs(x) >= 100) return x.toFixed(0)
  if (Math.abs(x) >= 1) return x.toFixed(2)
  return x.toPrecision(3)
}
