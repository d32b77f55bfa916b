// The UI of a Slurm study in Chromium, against `serve` and the one-node test cluster (a Slurm suite: its
// global setup starts the cluster): the executor set in the new-study form, a trial waiting in Slurm's queue
// shown as pending in the trial table, and the trial page naming the job and the node that ran it.
import { existsSync } from 'node:fs'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listJobs } from '../../src/main/slurm/slurmCommands.ts'
import { slurmJobPrefix } from '../../src/main/slurm/slurmTrials.ts'
import { useTestCluster, waitFor } from '../helpers/slurm.ts'
import { CHROMIUM, screenshot, startHarness, type Harness } from './harness.ts'
import { NewStudyPage } from './pages/NewStudyPage.ts'
import { StudyViewPage } from './pages/StudyViewPage.ts'

// Unlike the other e2e suites this one does not skip: the Slurm suites fail with the reason.
if (!existsSync(CHROMIUM))
  throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set HPO_CHROMIUM)`)

useTestCluster()
let h: Harness

/** Fields that take their value on change. */
async function fillField(form: NewStudyPage, label: string, value: string): Promise<void> {
  await form.input(label).fill(value)
  await form.input(label).blur()
}

describe('a Slurm study in the UI', () => {
  beforeAll(async () => {
    h = await startHarness()
    await h.page.goto(h.server.url)
  }, 120_000)

  afterAll(async () => {
    await h?.close()
  })

  it('is created with its executor, shows a queued trial as pending, and names its job', async () => {
    const form = new NewStudyPage(h.page)
    await form.open(`http://127.0.0.1:${h.server.port}/`)
    await form.pickTemplate('synthetic-branin')
    await form.input('Study name').fill('e2e-slurm')
    await fillField(form, 'Delay per trial', '5000')
    await form.input('Trials').fill('3')
    await form.input('Concurrency').fill('2')
    await form.input('Executor').selectOption('slurm')
    await fillField(form, 'Slurm time limit', '1:xx')
    await h.page
      .getByText(/Slurm time: minutes, HH:MM:SS/)
      .first()
      .waitFor()
    await fillField(form, 'Slurm time limit', '10')
    // Each job takes both CPUs of the one node: one trial runs, the other waits in the queue.
    await fillField(form, 'CPUs per trial', '2')
    await waitFor('validation to pass', async () => /ready/.test(await form.problems().innerText()))
    await form.create()
    await h.page.locator('.study-view h1').waitFor()
    const study = h.store.getStudy('e2e-slurm')!
    expect(study.spec.executor).toMatchObject({ kind: 'slurm', time: '10', cpusPerTrial: 2 })

    const view = new StudyViewPage(h.page)
    await view.control('Start')
    // the overview's live header counts a trial waiting in Slurm's queue and names its job
    await waitFor(
      'the live header to count the waiting trial and name its job',
      async () =>
        /\d pending in Slurm's queue/.test(await h.page.locator('.state-counts').innerText()) &&
        /Slurm job \d+, pending/.test(await h.page.locator('.running-trials').innerText()),
    )
    await view.tab('Trials')
    // the Trials tab: a trial just handed to Slurm reads pending too ("submitted"); wait for one
    // that Slurm keeps waiting
    const badges = h.page.locator('table.trials tbody tr[data-trial] .badge')
    await waitFor("a trial pending in Slurm's queue, with Slurm's reason", async () =>
      (await badges.evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute('title')])))
        .map(([text, title]) => `${text?.trim()}: ${title}`)
        .find((t) =>
          /^pending: pending \((Resources|Priority)\) in Slurm's queue, job \d+$/.test(t),
        ),
    )

    await screenshot(h.page, 'slurm-pending')

    await waitFor(
      'the study to finish',
      async () => (await view.state().innerText()) === 'finished',
      180_000,
    )
    expect(await view.doneCount()).toBe(3)
    const trial = h.store.listTrials(study.id)[0]
    await h.page.goto(`http://127.0.0.1:${h.server.port}/#/study/${study.id}/trial/0`)
    const job = h.page.locator('[data-field="slurm-job"] td')
    await job.waitFor()
    expect(await job.innerText()).toBe(
      `Slurm job ${trial.placement!.jobId} on ${os.hostname()} (${trial.placement!.jobName})`,
    )
    await screenshot(h.page, 'slurm-trial-page')
    expect(await listJobs(slurmJobPrefix(study))).toEqual([])
  }, 300_000)
})
