// Runs in main. A whole study from another tool (Optuna) written in one transaction: the study row, its
// trials with their own numbers, states, values and times, and their intermediate values.
import { nanToNull, type StoreContext } from './storeContext.ts'
import { StoreError, type StudyStore } from './studyStore.ts'

export function createStudyImport(
  ctx: StoreContext,
  createStudy: StudyStore['createStudy'],
): Pick<StudyStore, 'importStudy'> {
  const { db } = ctx
  const insertTrial = db.prepare<
    [
      number,
      number,
      string,
      string,
      number | null,
      string | null,
      string | null,
      string | null,
      string,
    ],
    { id: number }
  >(
    `INSERT INTO trials (study_id, number, state, params, value, error, started_at, finished_at, user_attrs)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  )
  const insertStep = db.prepare<[number, number, number | null]>(
    `INSERT INTO intermediate_values (trial_id, step, value) VALUES (?, ?, ?)
     ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value`,
  )
  return {
    importStudy: ctx.immediate((spec, trials) => {
      const study = createStudy(spec)
      const numbers = new Set<number>()
      for (const t of trials) {
        if (numbers.has(t.number))
          throw new StoreError('BAD_STATE', `trial number ${t.number} is imported twice`)
        numbers.add(t.number)
        const { id } = insertTrial.get(
          study.id,
          t.number,
          t.state,
          JSON.stringify(t.params),
          // SQLite keeps ±Infinity in a REAL column; NaN would become NULL anyway.
          nanToNull(t.value),
          t.error,
          t.startedAt,
          t.finishedAt,
          JSON.stringify(t.userAttrs),
        )!
        for (const s of t.intermediate) insertStep.run(id, s.step, nanToNull(s.value))
      }
      return study
    }),
  }
}
