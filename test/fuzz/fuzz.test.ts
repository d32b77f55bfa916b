// Issue 14's fuzz, kept: a few hundred hostile inputs through the real entry points, each refused with
// a clear error or accepted — never a stack trace, a hang, a write from a refused input, or a space
// that validates and cannot be sampled. `npm run bench -- fuzz` runs thousands.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAILURES, judge, openFuzzTargets, tempFuzzDir, type FuzzTarget } from './fuzzTargets.ts'

/** Cases per target in `npm test`. */
const CASES: Record<string, number> = {
  'study files': 120,
  'CSV data sets': 100,
  'command outputs': 150,
  imports: 80,
  'API calls': 120,
  'HTTP bodies': 60,
}

const tmp = tempFuzzDir()
let opened: Awaited<ReturnType<typeof openFuzzTargets>>
beforeAll(async () => {
  opened = await openFuzzTargets(tmp.dir)
})
afterAll(async () => {
  await opened.close()
  tmp.remove()
})

async function holds(target: FuzzTarget<never>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(target.arbitrary, async (input) => {
      const { verdict, detail } = await judge(target, input)
      expect(FAILURES, `${target.name}: ${verdict}: ${detail ?? ''}`).not.toContain(verdict)
    }),
    { numRuns, seed: 14, endOnFailure: true },
  )
}

describe('hostile inputs get a clear error or are accepted (property)', () => {
  for (const [name, numRuns] of Object.entries(CASES))
    it(
      name,
      () =>
        holds(
          opened.targets.find((t) => t.name === name)!,
          numRuns,
        ),
      120_000,
    )
})
