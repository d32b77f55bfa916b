// Where an executor other than this machine runs a trial (Slurm): its job and its place in the queue. Stored
// with the trial, sent to the UI, and read back through this schema.
import { z } from 'zod'
import type { TrialState } from './trial.ts'

export const trialPlacementSchema = z.object({
  executor: z.literal('slurm'),
  jobName: z.string(),
  jobId: z.string().nullable(),
  /** submitted: handed to Slurm, no answer yet; pending: waiting in Slurm's queue; running: on a node. */
  queue: z.enum(['submitted', 'pending', 'running']),
  /** Slurm's reason while it waits (Resources, Priority, QOSMaxJobsPerUserLimit…). */
  reason: z.string().nullable(),
  node: z.string().nullable(),
})

export type TrialPlacement = z.infer<typeof trialPlacementSchema>

/** A running trial that its executor has not started yet (waiting in Slurm's queue). */
export const isWaiting = (t: { state: TrialState; placement: TrialPlacement | null }): boolean =>
  t.state === 'running' && t.placement !== null && t.placement.queue !== 'running'

/** "pending (Resources)", "submitted": the queue state in words, or null once it runs. */
export function waitingLabel(p: TrialPlacement | null): string | null {
  if (!p || p.queue === 'running') return null
  return p.queue === 'pending' && p.reason ? `pending (${p.reason})` : p.queue
}

/** "Slurm job 12 on n1", "Slurm job 12, pending (Resources)", "submitted to Slurm". */
export function placementNote(p: TrialPlacement): string {
  if (!p.jobId) return 'submitted to Slurm'
  const waiting = waitingLabel(p)
  return `Slurm job ${p.jobId}${waiting ? `, ${waiting}` : p.node ? ` on ${p.node}` : ''}`
}
