// Runs in main: what srun and slurmstepd say on srun's stderr about a job, read into its queue state and, when
// Slurm ended the job, the reason in words. Slurm 22.05's wording; a line it does not know is just a log line.

export interface SrunNews {
  jobId?: string
  /** pending: waiting in Slurm's queue; running: the allocation is granted. */
  queue?: 'pending' | 'running'
  /** Slurm ended the job; `retry` when it is not the trial's doing (node failure, preemption). */
  ended?: { reason: string; retry: boolean }
}

const QUEUED = /^srun: job (\d+) queued and waiting for resources/
const ALLOCATED = /^srun: job (\d+) has been allocated resources/
const CANCELLED = /\*\*\* (?:JOB|STEP) (\d+)\S* ON (\S+) CANCELLED AT (\S+)(.*?)\*\*\*/
const NODE_FAILURE = /^srun: error: Node failure on (\S+)/
const REFUSED = /^srun: error: Unable to allocate resources: (.+)$/
const OOM = /(Out Of Memory|oom[-_]kill)/i

/** Reads one stderr line of srun; null when it says nothing about the job's state. */
export function readSrunLine(line: string): SrunNews | null {
  let m = QUEUED.exec(line)
  if (m) return { jobId: m[1], queue: 'pending' }
  if ((m = ALLOCATED.exec(line))) return { jobId: m[1], queue: 'running' }
  if ((m = CANCELLED.exec(line))) {
    const [, jobId, node, at, rest] = m
    const due = /DUE TO (.+?)\s*$/.exec(rest.trim())?.[1] ?? null
    if (due === 'TIME LIMIT')
      return {
        jobId,
        ended: { reason: `Slurm ended job ${jobId} at its time limit`, retry: false },
      }
    if (due === 'PREEMPTION')
      return { jobId, ended: { reason: `Slurm preempted job ${jobId} on ${node}`, retry: true } }
    if (due?.startsWith('NODE FAIL'))
      return { jobId, ended: { reason: `node ${node} failed under job ${jobId}`, retry: true } }
    const why = due ? ` due to ${due.toLowerCase()}` : ' (scancel)'
    return {
      jobId,
      ended: { reason: `Slurm cancelled job ${jobId} on ${node} at ${at}${why}`, retry: false },
    }
  }
  if ((m = NODE_FAILURE.exec(line)))
    return { ended: { reason: `node ${m[1]} failed (Slurm: ${line.slice(6)})`, retry: true } }
  if ((m = REFUSED.exec(line)))
    return { ended: { reason: `Slurm refused the job: ${m[1]}`, retry: false } }
  if (/^srun: Job has been cancelled/.test(line))
    return {
      ended: { reason: 'Slurm cancelled the job while it waited in the queue', retry: false },
    }
  if (/^(srun|slurmstepd)\S*: error: /.test(line) && OOM.test(line))
    return { ended: { reason: `Slurm's memory limit killed the trial (${line})`, retry: false } }
  return null
}

/** Keeps what srun said so far: the job id, the queue state, and the first reason Slurm gave for ending it. */
export interface SrunState {
  jobId: string | null
  queue: 'submitted' | 'pending' | 'running'
  ended: { reason: string; retry: boolean } | null
}

export function foldSrunNews(state: SrunState, news: SrunNews): SrunState {
  return {
    jobId: news.jobId ?? state.jobId,
    queue: news.queue ?? state.queue,
    ended: state.ended ?? news.ended ?? null,
  }
}
