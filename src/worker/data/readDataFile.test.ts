import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { datasetInfo } from './datasetInfo.ts'
import { readCsv } from './readCsv.ts'
import { readDataFile } from './readDataFile.ts'
import { readIdx } from './readIdx.ts'

describe('data files are bounded reads of regular files', () => {
  it('refuses a device, a folder and a file past the limit, before reading', async () => {
    expect(() => readCsv('/dev/zero')).toThrow(
      '/dev/zero: cannot read the file: not a regular file',
    )
    expect(() => datasetInfo('/dev/zero')).toThrow(
      '/dev/zero: cannot read the file: not a regular file',
    )
    await expect(readIdx('/dev/zero')).rejects.toThrow('/dev/zero: not a regular file')
    expect(() => readDataFile(os.tmpdir(), 10)).toThrow(`${os.tmpdir()}: not a regular file`)
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hpo-data-')), 'big.csv')
    writeFileSync(file, 'a,b\n1,2\n')
    expect(() => readDataFile(file, 4)).toThrow(
      `${file}: 8 bytes, more than the 4 a data file may have`,
    )
    expect(readDataFile(file, 8).toString()).toBe('a,b\n1,2\n')
  })
})
