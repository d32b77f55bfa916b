// Runs in main. The sample data sets that ship with the app (resources/datasets, described in its README):
// offered beside the user's own files wherever a CSV is picked, and used by the templates.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { SampleDataset } from '../../shared/studioApi.ts'

export const BUNDLED_DATASETS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../resources/datasets',
)

const metaSchema = z.array(
  z.object({
    name: z.string().regex(/^[\w-]+$/),
    source: z.string(),
    rows: z.number().int(),
    features: z.number().int(),
    n_classes: z.number().int(),
  }),
)

/** The data sets of `dir`/meta.json whose CSV is there; none when the folder or its index is missing. */
export async function listSampleDatasets(
  dir: string = BUNDLED_DATASETS_DIR,
): Promise<SampleDataset[]> {
  const text = await fs.readFile(path.join(dir, 'meta.json'), 'utf8').catch(() => null)
  if (text === null) return []
  const meta = metaSchema.parse(JSON.parse(text))
  const out: SampleDataset[] = []
  for (const m of meta) {
    const file = path.join(dir, `${m.name}.csv`)
    const present = await fs.stat(file).then(
      (s) => s.isFile(),
      () => false,
    )
    if (!present) continue
    out.push({
      name: m.name,
      path: file,
      rows: m.rows,
      features: m.features,
      classes: m.n_classes,
      source: m.source,
    })
  }
  return out
}
