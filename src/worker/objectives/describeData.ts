// Runs in a trial worker: checks a study's data before it starts (a broken file or a missing XGBoost
// library refuses the study with the reason) and describes it for the store: hash, shape, class counts.
import { createHash } from 'node:crypto'
import path from 'node:path'
import type { DataDescription, TrialRunSpec } from '../../shared/workerProtocol.ts'
import { MAX_IDX_BYTES } from '../../shared/objectiveSpec.ts'
import { datasetInfo } from '../data/datasetInfo.ts'
import { readDataFile } from '../data/readDataFile.ts'
import { readIdx } from '../data/readIdx.ts'
import { resolveImageDataset } from '../data/resolveImageDataset.ts'

function tabular(file: string, role: DataDescription['role'], target?: string): DataDescription {
  const info = datasetInfo(file, { target })
  return {
    role,
    name: info.name,
    kind: 'tabular',
    path: info.path,
    hash: info.sha256,
    shape: [info.rows, info.features],
    classCounts: Object.fromEntries(info.classes.map((c, i) => [c, info.classCounts[i]])),
    classMapping: info.classes.every((c, i) => c === String(i))
      ? null
      : Object.fromEntries(info.classes.map((c, i) => [c, i])),
    detail: `${info.rows} rows, ${info.features} features, ${info.classes.length} classes, ${info.missingCells} missing cells`,
  }
}

async function images(
  files: { images: string; labels: string },
  name: string,
  role: DataDescription['role'],
): Promise<DataDescription> {
  const hash = createHash('sha256')
  for (const f of [files.images, files.labels]) hash.update(readDataFile(f, MAX_IDX_BYTES))
  const [imgs, labels] = await Promise.all([readIdx(files.images), readIdx(files.labels)])
  if (imgs.dims[0] !== labels.dims[0])
    throw new Error(
      `${files.images} has ${imgs.dims[0]} images but ${files.labels} has ${labels.dims[0]} labels`,
    )
  const counts: Record<string, number> = {}
  for (const y of labels.data) counts[y] = (counts[y] ?? 0) + 1
  return {
    role,
    name,
    kind: 'images',
    path: path.resolve(files.images),
    hash: hash.digest('hex'),
    shape: imgs.dims,
    classCounts: counts,
    classMapping: null,
    detail: `${imgs.dims[0]} images of ${imgs.dims.slice(1).join('×')}, ${Object.keys(counts).length} classes`,
  }
}

export async function describeData(spec: TrialRunSpec): Promise<DataDescription[]> {
  const o = spec.objective
  if (o.kind === 'gbdt') {
    const { xgboostFor } = await import('./gbdtObjective.ts')
    xgboostFor(spec.resources)
    const out = [tabular(o.dataset, 'train', o.target)]
    if ('file' in o.validation) out.push(tabular(o.validation.file, 'validation', o.target))
    if (o.test) out.push(tabular(o.test, 'test', o.target))
    return out
  }
  if (o.kind === 'cnn') {
    const resolved = resolveImageDataset(o.dataset, spec.resources.dataDirs ?? [])
    const out = [await images(resolved.train, resolved.name, 'train')]
    if (resolved.test) out.push(await images(resolved.test, `${resolved.name} (test)`, 'test'))
    return out
  }
  return []
}
