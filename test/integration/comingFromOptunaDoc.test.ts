// docs/coming-from-optuna.md shows the diff of the Optuna example converted to the client: every line it
// shows must be in the files under examples/optuna, so the page cannot drift from the runnable example.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.ts'

const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8').split('\n')

describe('docs/coming-from-optuna.md', () => {
  it("shows a diff whose lines are the example's, before and after", () => {
    const doc = readFileSync(path.join(ROOT, 'docs/coming-from-optuna.md'), 'utf8')
    const diff = /```diff\n([\s\S]*?)```/.exec(doc)![1].split('\n').filter(Boolean)
    const before = read('examples/optuna/sgd_digits_optuna.py')
    const after = read('examples/optuna/sgd_digits.py')
    const changed = diff.filter((l) => l.startsWith('-') || l.startsWith('+'))
    expect(changed.length).toBeGreaterThanOrEqual(8)
    for (const line of diff) {
      if (line.startsWith('@@')) continue
      const text = line.slice(1)
      if (line[0] !== '+') expect(before, `${line} (before)`).toContain(text)
      if (line[0] !== '-') expect(after, `${line} (after)`).toContain(text)
    }
    // Only the lines the diff shows differ (the comments at the top aside).
    const code = (lines: string[]) => lines.filter((l) => !l.startsWith('#'))
    const removed = code(before).filter((l) => !after.includes(l))
    const added = code(after).filter((l) => !before.includes(l))
    expect(removed).toEqual(changed.filter((l) => l[0] === '-').map((l) => l.slice(1)))
    expect(added).toEqual(changed.filter((l) => l[0] === '+').map((l) => l.slice(1)))
  })

  it('shows the study file of the example as it is', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/coming-from-optuna.md'), 'utf8')
    const yaml = read('examples/optuna/sgd-digits.yaml')
      .filter((l) => !l.startsWith('#'))
      .join('\n')
    expect(doc).toContain(yaml.trim())
  })
})
