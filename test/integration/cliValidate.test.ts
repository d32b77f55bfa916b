// `hpo-studio validate` checks what `run` would find missing: data files and the command.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir, writeStudy } from '../helpers/cli.ts'
import { runMain, STACK_FRAME } from '../helpers/inProcessCli.ts'

const gbdt = (dataset: string) => ({
  name: 'g',
  direction: 'maximize',
  objective: { kind: 'gbdt', dataset },
  space: { max_depth: { type: 'int', low: 1, high: 5 } },
})
const command = (run: string[], cwd?: string) => ({
  name: 'c',
  direction: 'minimize',
  objective: { kind: 'command', run, ...(cwd ? { cwd } : {}) },
  space: { x: { type: 'float', low: 0, high: 1 } },
})

describe('hpo-studio validate', () => {
  it.each([
    [gbdt('missing.csv'), 'objective.dataset: no such file: {dir}/missing.csv'],
    [gbdt('/dev/zero'), 'objective.dataset: /dev/zero is not a regular file'],
    [gbdt('/tmp'), 'objective.dataset: /tmp is not a regular file'],
    [
      command(['no-such-program-hpo']),
      'objective.run[0]: no program "no-such-program-hpo" on the PATH',
    ],
    [command(['./train.sh']), 'objective.run[0]: no such program: {dir}/train.sh'],
    [command(['true'], 'nope'), 'objective.cwd: no such folder: {dir}/nope'],
  ])('refuses %j', async (spec, message) => {
    const dir = tempDir()
    const r = await runMain(['validate', writeStudy(dir, spec)])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(message.replace('{dir}', dir))
    expect(r.stderr).not.toMatch(STACK_FRAME)
  })

  it('accepts a program found on the PATH and an existing file', async () => {
    const dir = tempDir()
    expect((await runMain(['validate', writeStudy(dir, command(['sh', '-c', 'true']))])).code).toBe(
      0,
    )
    const csv = path.join(dir, 'd.csv')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(csv, 'a,target\n1,0\n2,1\n')
    expect((await runMain(['validate', writeStudy(dir, gbdt(csv))])).code).toBe(0)
  })
})
