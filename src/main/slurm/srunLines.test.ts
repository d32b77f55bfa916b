import { describe, expect, it } from 'vitest'
import { foldSrunNews, readSrunLine, type SrunState } from './srunLines.ts'

// Lines as Slurm 22.05 writes them (the first five copied from the test cluster's srun).
describe('readSrunLine', () => {
  it('reads the queue state and the job id', () => {
    expect(readSrunLine('srun: job 4 queued and waiting for resources')).toEqual({
      jobId: '4',
      queue: 'pending',
    })
    expect(readSrunLine('srun: job 4 has been allocated resources')).toEqual({
      jobId: '4',
      queue: 'running',
    })
  })

  it('gives the reason Slurm ended a job, and whether the trial may run again', () => {
    expect(
      readSrunLine('slurmstepd-vm: error: *** STEP 3.0 ON vm CANCELLED AT 2026-12-07T00:50:52 ***'),
    ).toEqual({
      jobId: '3',
      ended: {
        reason: 'Slurm cancelled job 3 on vm at 2026-12-07T00:50:52 (scancel)',
        retry: false,
      },
    })
    expect(readSrunLine('srun: Job has been cancelled')?.ended?.reason).toMatch(/in the queue/)
    expect(
      readSrunLine('srun: error: Unable to allocate resources: Invalid partition name specified'),
    ).toEqual({
      ended: { reason: 'Slurm refused the job: Invalid partition name specified', retry: false },
    })
    expect(
      readSrunLine(
        'slurmstepd: error: *** JOB 12 ON n1 CANCELLED AT 2026-01-02T03:04:05 DUE TO TIME LIMIT ***',
      )?.ended,
    ).toEqual({ reason: 'Slurm ended job 12 at its time limit', retry: false })
    expect(
      readSrunLine(
        'slurmstepd: error: *** JOB 12 ON n1 CANCELLED AT 2026-01-02T03:04:05 DUE TO PREEMPTION ***',
      )?.ended,
    ).toEqual({ reason: 'Slurm preempted job 12 on n1', retry: true })
    expect(
      readSrunLine(
        'slurmstepd: error: *** JOB 12 ON n1 CANCELLED AT 2026-01-02T03:04:05 DUE TO NODE FAILURE ***',
      )?.ended,
    ).toEqual({ reason: 'node n1 failed under job 12', retry: true })
    expect(readSrunLine('srun: error: Node failure on n7')?.ended?.retry).toBe(true)
    expect(readSrunLine('srun: error: n1: task 0: Out Of Memory')?.ended?.reason).toMatch(
      /memory limit/,
    )
  })

  it('says nothing about other lines', () => {
    expect(
      readSrunLine('srun: Job step aborted: Waiting up to 32 seconds for job step to finish.'),
    ).toBeNull()
    expect(readSrunLine('[12:00:01] WARNING: some XGBoost warning')).toBeNull()
  })
})

describe('foldSrunNews', () => {
  it('keeps the first reason Slurm gave', () => {
    let s: SrunState = { jobId: null, queue: 'submitted', ended: null }
    for (const line of [
      'srun: job 8 queued and waiting for resources',
      'srun: Job has been cancelled',
      'srun: error: Unable to allocate resources: Job/step already completing or completed',
    ])
      s = foldSrunNews(s, readSrunLine(line)!)
    expect(s).toEqual({
      jobId: '8',
      queue: 'pending',
      ended: { reason: 'Slurm cancelled the job while it waited in the queue', retry: false },
    })
  })
})
