import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DatasetRef } from '../../shared/studioApi.ts'
import { checkDataset } from './checkDataset.ts'
import { readCsv } from './readCsv.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-check-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name)
  writeFileSync(p, content)
  return p
}

async function refusal(ref: DatasetRef): Promise<{ code?: string; message: string }> {
  return checkDataset(ref).then(
    () => {
      throw new Error('expected a refusal')
    },
    (e: { code?: string; message: string }) => e,
  )
}

describe('checkDataset (the UI check, with the trainers readers)', () => {
  it('reads nan and N/A as missing cells, as the trainer does', async () => {
    const p = file('tokens.csv', 'a,b,target\n1,nan,0\nN/A,2,1\n3,NaN,1\n')
    const summary = await checkDataset({ kind: 'tabular', path: p })
    expect(summary).toMatchObject({ rows: 3, features: 2, missingCells: 3, target: 'target' })
    expect(readCsv(p).missingCells).toBe(summary.missingCells)
  })

  it('says the line and column of a bad cell, never its text', async () => {
    const p = file('secret.csv', 'a,b,target\n1,2,0\n3,correct horse battery,1\n')
    const e = await refusal({ kind: 'tabular', path: p })
    expect(e.code).toBe('DATASET_INVALID')
    expect(e.message).toBe(
      `${p}: line 3, column 2: not a number (features must be numbers; leave a cell empty for a missing value)`,
    )
    expect(e.message).not.toContain('correct horse')
  })

  it('never quotes the header of a file without the target column', async () => {
    const p = file('header.csv', 'user,password_hash\nroot,x1\nbob,x2\n')
    const e = await refusal({ kind: 'tabular', path: p, target: 'label' })
    expect(e.message).toBe(`${p}: line 1: no target column "label" in the header row`)
    expect(e.message).not.toContain('password_hash')
  })

  it('never quotes the bytes of a file that is not IDX', async () => {
    const images = file('notes.txt', 'SECRET LINE\n')
    const labels = file('labels.idx', Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 0]))
    const e = await refusal({ kind: 'images', images, labels })
    expect(e.message).toMatch(/notes\.txt: not an IDX file: bad magic number \(expected/)
    expect(e.message).not.toMatch(/0x5345|SECRET/)
  })

  it('refuses what is not a regular file before reading it', async () => {
    expect((await refusal({ kind: 'tabular', path: '/dev/zero' })).message).toBe(
      '/dev/zero: not a regular file',
    )
    expect((await refusal({ kind: 'tabular', path: dir })).message).toBe(
      `${dir}: not a regular file`,
    )
  })

  it('warns about a single class rather than refusing the file', async () => {
    const p = file('one.csv', 'a,target\n1,yes\n2,yes\n')
    expect((await checkDataset({ kind: 'tabular', path: p })).warnings).toEqual([
      'the target "target" has a single class',
    ])
  })
})
