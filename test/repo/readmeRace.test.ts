// README's race tables are printed by `npm run bench -- race --from=bench/results/race-dev.json
// --markdown=tpe,mbrl,rl,random --budgets=50,100,200`; they must still be what that command prints.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { markdownRace, type RaceSummary } from '../../bench/raceReport.ts'
import { ROOT } from '../helpers/cli.ts'

describe("README's race tables", () => {
  it('equal the tables rendered from the committed bench/results/race-dev.json', () => {
    const file = path.join(ROOT, 'bench/results/race-dev.json')
    const race = JSON.parse(readFileSync(file, 'utf8')) as RaceSummary
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const tables = markdownRace(race, ['tpe', 'mbrl', 'rl', 'random'], [50, 100, 200])
    for (const table of tables.split('\n\n').filter((t) => t.startsWith('|')))
      expect(readme, 'README race table out of date: regenerate it').toContain(table)
  })
})
