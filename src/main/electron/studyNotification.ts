// Runs in the Electron main process. What to tell the user when a study ends while the window is hidden.
import type { StudioEvent } from '../../shared/studioApi.ts'

export function studyNotification(
  event: StudioEvent,
  study: { name: string; bestValue: number | null; metric: string } | null,
): { title: string; body: string } | null {
  if (event.type !== 'study-state' || !study) return null
  if (event.state === 'finished') {
    const best =
      study.bestValue === null
        ? 'no complete trial'
        : `best ${study.metric} ${Number(study.bestValue.toPrecision(5))}`
    return { title: `Study “${study.name}” finished`, body: best }
  }
  if (event.state === 'failed')
    return {
      title: `Study “${study.name}” failed`,
      body: event.error ?? 'see the study for the reason',
    }
  return null
}
