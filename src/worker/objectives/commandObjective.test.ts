import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { processesWithMarker } from '../../../test/helpers/cli.ts'
import { createCommandObjective, parseOutputLine } from './commandObjective.ts'

function runCommand(
  run: string[],
  extra: { cwd?: string } = {},
  trialDir = mkdtempSync(path.join(os.tmpdir(), 'hpo-cmd-')),
) {
  const objective = createCommandObjective(
    { kind: 'command', run, ...extra },
    { timeoutSeconds: 30 },
  )
  return objective.run(
    { x: 1 },
    {
      trialNumber: 0,
      seed: 1,
      trialDir,
      signal: new AbortController().signal,
      report: () => {},
      log: () => {},
    },
  )
}

describe('command objective', () => {
  it('ends a daemon the command started with setsid and a double fork', async () => {
    const trialDir = mkdtempSync(path.join(os.tmpdir(), 'hpo-cmd-'))
    const daemon =
      'setsid sh -c "sleep 300 & exit" </dev/null >/dev/null 2>&1; echo \'{"value": 1}\''
    await expect(runCommand(['sh', '-c', daemon], {}, trialDir)).resolves.toMatchObject({
      value: 1,
    })
    expect(await processesWithMarker(`HPO_TRIAL_DIR=${trialDir}\0`)).toEqual([])
  })
})

describe('command objective errors', () => {
  it('blames a missing working folder, not the program', async () => {
    await expect(runCommand(['python3', '-c', 'pass'], { cwd: '/nope/folder' })).rejects.toThrow(
      'the working folder /nope/folder (objective.cwd) does not exist',
    )
  })

  it('says a command line is too long instead of "spawn E2BIG"', async () => {
    const args = Array.from({ length: 40 }, () => 'a'.repeat(100_000))
    await expect(runCommand(['true', ...args])).rejects.toThrow(
      /the command line is too long for the system \(4000\d+ bytes\)/,
    )
  })

  it('refuses output nested deeper than 64 levels and values beyond a double', () => {
    expect(
      parseOutputLine(`{"value": 1, "extra": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
    ).toEqual({
      kind: 'bad',
      reason: 'reported a line nested deeper than 64 levels',
    })
    expect(parseOutputLine('{"value": 1e400}')).toEqual({
      kind: 'bad',
      reason: 'reported value 1e400, beyond the range of a double (a finite number is required)',
    })
    expect(parseOutputLine('{"value": -1e999, "step": 1}')).toMatchObject({
      reason: 'reported value -1e999, beyond the range of a double (a finite number is required)',
    })
  })
})
