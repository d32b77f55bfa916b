// The pictures README and docs show are made by `npm run screenshots` (scripts/screenshots.ts) from real
// runs: every picture a page shows exists under docs/screenshots and is one the script takes, and no
// picture lies there that no page shows.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.ts'

const SHOTS = path.join(ROOT, 'docs/screenshots')
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
]
const IMAGE = /!\[[^\]]*\]\(([^)\s]+\.png)\)/g
const script = readFileSync(path.join(ROOT, 'scripts/screenshots.ts'), 'utf8')

describe('the pictures of README and docs', () => {
  const shown = new Set<string>()
  const problems: string[] = []
  for (const page of PAGES) {
    const text = readFileSync(path.join(ROOT, page), 'utf8')
    for (const [, ref] of text.matchAll(IMAGE)) {
      const file = path.resolve(ROOT, path.dirname(page), ref)
      const name = path.basename(file, '.png')
      shown.add(file)
      if (path.dirname(file) !== SHOTS)
        problems.push(`${page}: ${ref} is not under docs/screenshots`)
      else if (!existsSync(file)) problems.push(`${page}: ${ref} does not exist`)
      else if (!script.includes(`'${name}'`))
        problems.push(`${page}: ${ref} is not a view of scripts/screenshots.ts`)
    }
  }

  it('exist, and scripts/screenshots.ts takes each of them', () => {
    expect(shown.size).toBeGreaterThan(0)
    expect(problems).toEqual([])
  })

  it('are all shown somewhere: no stale picture under docs/screenshots', () => {
    const stale = readdirSync(SHOTS)
      .map((f) => path.join(SHOTS, f))
      .filter((f) => !shown.has(f))
    expect(stale.map((f) => path.relative(ROOT, f))).toEqual([])
  })
})
