// Runs in main. Datasets (one row per source path) and which study used which, with the hash at the time.
import { parseJson, studyNotFound, type StoreContext } from './storeContext.ts'
import { StoreError, type DatasetRecord, type StudyStore } from './studyStore.ts'

interface DatasetRow {
  id: number
  name: string
  kind: DatasetRecord['kind']
  path: string
  hash: string
  shape: string
  class_counts: string
  class_mapping: string | null
  created_at: string
}

const toDataset = (r: DatasetRow): DatasetRecord => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  path: r.path,
  hash: r.hash,
  shape: JSON.parse(r.shape) as number[],
  classCounts: JSON.parse(r.class_counts) as Record<string, number>,
  classMapping: parseJson<Record<string, number>>(r.class_mapping),
  createdAt: r.created_at,
})

type DatasetMethods = Pick<
  StudyStore,
  'registerDataset' | 'getDatasetByPath' | 'linkStudyDataset' | 'listStudyDatasets'
>

export function createDatasetRows(ctx: StoreContext): DatasetMethods {
  const { db } = ctx
  // Registering a path again (the file changed) updates its row and keeps its id and links.
  const upsert = db.prepare<
    [string, string, string, string, string, string, string | null, string],
    DatasetRow
  >(
    `INSERT INTO datasets (name, kind, path, hash, shape, class_counts, class_mapping, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (path) DO UPDATE SET name = excluded.name, kind = excluded.kind,
       hash = excluded.hash, shape = excluded.shape, class_counts = excluded.class_counts,
       class_mapping = excluded.class_mapping
     RETURNING *`,
  )
  const byPath = db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE path = ?')
  const byId = db.prepare<[number], DatasetRow>('SELECT * FROM datasets WHERE id = ?')
  const link = db.prepare<[number, number, string, string]>(
    `INSERT INTO study_datasets (study_id, dataset_id, role, hash_at_link) VALUES (?, ?, ?, ?)
     ON CONFLICT (study_id, role) DO UPDATE SET dataset_id = excluded.dataset_id,
       hash_at_link = excluded.hash_at_link`,
  )
  const linked = db.prepare<[number], DatasetRow & { role: string; hash_at_link: string }>(
    `SELECT d.*, sd.role, sd.hash_at_link FROM study_datasets sd
     JOIN datasets d ON d.id = sd.dataset_id WHERE sd.study_id = ?
     ORDER BY CASE sd.role WHEN 'train' THEN 0 WHEN 'validation' THEN 1 ELSE 2 END`,
  )
  const studyExists = db.prepare<[number], { id: number }>('SELECT id FROM studies WHERE id = ?')

  const linkDataset = ctx.immediate(
    (studyId: number, datasetId: number, role: 'train' | 'validation' | 'test') => {
      if (!studyExists.get(studyId)) throw studyNotFound(studyId)
      const dataset = byId.get(datasetId)
      if (!dataset)
        throw new StoreError(
          'DATASET_NOT_FOUND',
          `no dataset with id ${datasetId} in this database`,
        )
      link.run(studyId, datasetId, role, dataset.hash)
    },
  )

  return {
    registerDataset(info) {
      return toDataset(
        upsert.get(
          info.name,
          info.kind,
          info.path,
          info.hash,
          JSON.stringify(info.shape),
          JSON.stringify(info.classCounts),
          info.classMapping ? JSON.stringify(info.classMapping) : null,
          ctx.now(),
        )!,
      )
    },
    getDatasetByPath(path) {
      const row = byPath.get(path)
      return row ? toDataset(row) : null
    },
    linkStudyDataset: linkDataset,
    listStudyDatasets(studyId) {
      return linked.all(studyId).map((r) => ({
        dataset: toDataset(r),
        role: r.role,
        hashAtLink: r.hash_at_link,
      }))
    },
  }
}
