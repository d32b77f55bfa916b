// Test helper: runs the `hpo-studio` entry (main()) inside the test process, capturing what it prints,
// so that hundreds of fuzz cases cost milliseconds each instead of a process start.
import { vi } from 'vitest'
import { main } from '../../src/main/cli/main.ts'
import type { CliResult } from './cli.ts'

export async function runMain(args: string[]): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const text = (parts: unknown[]): string => parts.map(String).join(' ') + '\n'
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk)
      return true
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk)
      return true
    }),
    vi.spyOn(console, 'log').mockImplementation((...parts) => void (stdout += text(parts))),
    vi.spyOn(console, 'error').mockImplementation((...parts) => void (stderr += text(parts))),
  ]
  const before = process.exitCode
  process.exitCode = undefined
  try {
    await main(['node', 'hpo-studio', ...args])
    return { code: Number(process.exitCode ?? 0), signal: null, stdout, stderr }
  } finally {
    process.exitCode = before
    for (const s of spies) s.mockRestore()
  }
}

/** A stack trace's frame line ("    at fn (file:1:2)"): never shown to a user. */
export const STACK_FRAME = /^\s+at .+[(:]\d+/m
