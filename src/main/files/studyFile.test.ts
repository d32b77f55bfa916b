import { describe, expect, it } from 'vitest'
import { parseStudyText } from './studyFile.ts'

const messages = (text: string): string[] => {
  const r = parseStudyText(text, '/tmp', 'study.yaml')
  return r.ok ? [] : r.errors.map((e) => e.message)
}

describe('parseStudyText', () => {
  it('says an alias is undefined instead of throwing', () => {
    expect(messages('name: *nope\n')).toEqual([
      'study.yaml: the alias *nope has no anchor &nope before it',
    ])
  })

  it('refuses an alias bomb with a clear error', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (const k of 'bcdefg') {
      const prev = levels.length === 1 ? 'a' : 'bcdefg'['bcdefg'.indexOf(k) - 1]
      levels.push(`${k}: &${k} [${Array(9).fill(`*${prev}`).join(', ')}]`)
    }
    expect(messages(levels.join('\n') + '\n')).toEqual([
      'study.yaml: too many aliases (a study file uses at most 100 alias expansions)',
    ])
  })
})
