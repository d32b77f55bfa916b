// Test helpers: temp folders, study files, and the real `hpo-studio` command as a child process.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(ROOT, 'bin/hpo-studio.mjs')
export const FIXTURES = path.join(ROOT, 'test/fixtures')

export function tempDir(prefix = 'hpo-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}

export function writeStudy(
  dir: string,
  spec: Record<string, unknown>,
  file = 'study.yaml',
): string {
  const p = path.join(dir, file)
  writeFileSync(p, stringify(spec))
  return p
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function startCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; result: Promise<CliResult>; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += d))
  child.stderr!.on('data', (d) => (stderr += d))
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { child, result, output: () => stdout }
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).result
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Pids of live processes whose environment contains `marker` (Linux /proc). */
export async function processesWithMarker(marker: string): Promise<number[]> {
  const { readdirSync, readFileSync } = await import('node:fs')
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (stat.split(') ')[1]?.startsWith('Z')) continue
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(marker)) pids.push(Number(entry))
    } catch {
      // gone, or not ours to read
    }
  }
  return pids
}
