import { execFileSync } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'

describe('the test cluster', () => {
  it('answers srun', () => {
    const out = execFileSync('srun', ['-n1', 'hostname'], {
      env: { ...process.env, SLURM_CONF: inject('slurmConf') },
      encoding: 'utf8',
    })
    expect(out.trim().length).toBeGreaterThan(0)
  })
})
