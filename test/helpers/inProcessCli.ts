// Test helper: runs the `hpo-studio` entry (main()) inside this process, capturing what it prints, so
// that hundreds of fuzz cases cost milliseconds each instead of a process start. No vitest in it: the
// fuzz benchmark uses it too.
import { main } from '../../src/main/cli/main.ts'
import type { CliResult } from './cli.ts'

export async function runMain(args: string[]): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const text = (parts: unknown[]): string => parts.map(String).join(' ') + '\n'
  const saved = {
    out: process.stdout.write,
    err: process.stderr.write,
    log: console.log,
    error: console.error,
    exitCode: process.exitCode,
  }
  process.stdout.write = ((chunk: unknown) => ((stdout += String(chunk)), true)) as never
  process.stderr.write = ((chunk: unknown) => ((stderr += String(chunk)), true)) as never
  console.log = (...parts: unknown[]) => void (stdout += text(parts))
  console.error = (...parts: unknown[]) => void (stderr += text(parts))
  process.exitCode = undefined
  try {
    await main(['node', 'hpo-studio', ...args])
    return { code: Number(process.exitCode ?? 0), signal: null, stdout, stderr }
  } finally {
    process.stdout.write = saved.out
    process.stderr.write = saved.err
    console.log = saved.log
    console.error = saved.error
    process.exitCode = saved.exitCode
  }
}

/** A stack trace's frame line ("    at fn (file:1:2)"): never shown to a user. */
export const STACK_FRAME = /^\s+at .+[(:]\d+/m
