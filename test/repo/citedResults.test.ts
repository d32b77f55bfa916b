// A figure in README or docs cites the benchmark result it comes from: bench/results/NAME.json, written by
// `npm run bench -- NAME` and committed. Every such citation must point at a real result file of the repo.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.ts'

const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
]
const CITATION = /bench\/results\/[a-z0-9][a-z0-9._/-]*\.json/g

describe('figures cite committed benchmark results', () => {
  it('every bench/results/*.json that README or docs cite exists, outside scratch/, as a benchmark wrote it', () => {
    const problems: string[] = []
    for (const doc of DOCS) {
      const text = readFileSync(path.join(ROOT, doc), 'utf8')
      for (const [cited] of text.matchAll(CITATION)) {
        const file = path.join(ROOT, cited)
        if (cited.includes('/scratch/'))
          problems.push(`${doc}: ${cited} is scratch output, not kept`)
        else if (!existsSync(file)) problems.push(`${doc}: ${cited} does not exist`)
        else {
          const result = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
          if (typeof result.benchmark !== 'string' || typeof result.machine !== 'object')
            problems.push(
              `${doc}: ${cited} has no "benchmark" and "machine": not a benchmark's output`,
            )
        }
      }
    }
    expect(problems).toEqual([])
  })
})
