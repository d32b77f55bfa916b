// Issue 14's fuzz, kept: a few hundred hostile inputs through the real entry points, each refused with
// a clear error or accepted — never a stack trace, a hang, a write from a refused input, or a space
// that validates and cannot be sampled. `npm run bench -- fuzz` runs thousands.
import fc from 'fast-check'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  apiTarget,
  csvTarget,
  FAILURES,
  httpTarget,
  importTarget,
  judge,
  outputTarget,
  studyFileTarget,
  tempFuzzDir,
  type FuzzTarget,
} from './fuzzTargets.ts'

const tmp = tempFuzzDir()
afterAll(() => tmp.remove())

async function holds<T>(target: FuzzTarget<T>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(target.arbitrary, async (input) => {
      const { verdict, detail } = await judge(target, input)
      expect(FAILURES, `${target.name}: ${verdict}: ${detail ?? ''}`).not.toContain(verdict)
    }),
    { numRuns, seed: 14, endOnFailure: true },
  )
}

describe('hostile inputs get a clear error or are accepted (property)', () => {
  it('study files (validate)', () => holds(studyFileTarget(tmp.dir), 120), 120_000)
  it('CSV data sets (the trainers reader)', () => holds(csvTarget(tmp.dir), 100), 60_000)
  it('command outputs', () => holds(outputTarget, 150), 60_000)
  it('imports', async () => {
    const target = importTarget(tmp.dir)
    try {
      await holds(target, 80)
    } finally {
      target.close()
    }
  }, 120_000)
  it('API calls', async () => {
    const target = apiTarget(path.join(tmp.dir, 'api'))
    try {
      await holds(target, 120)
    } finally {
      target.close()
    }
  }, 120_000)
  it('HTTP bodies', async () => {
    const target = await httpTarget(path.join(tmp.dir, 'http'))
    try {
      await holds(target, 60)
    } finally {
      await target.close()
    }
  }, 120_000)
})
