// Runs in the CLI: `run FILE` and `resume NAME`. Creates or continues a study and runs it in this process.
import os from 'node:os'
import { bestTrials } from '../../shared/bestTrial.ts'
import { specDiff } from '../../shared/specDiff.ts'
import { studySpecToRaw, withStudySeed, type StudySpec } from '../../shared/studySpec.ts'
import { StudyDataError } from '../runner/studyData.ts'
import { LeaseHeldError } from '../runner/runControl.ts'
import type { StudyRunOutcome } from '../runner/runState.ts'
import { startStudyRun, type StudyRun } from '../runner/studyRunner.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { loadStudyFile } from '../files/studyFile.ts'
import { createNodeChildHost } from '../workers/nodeChildHost.ts'
import { CliError, EXIT, printJson } from './cliOutput.ts'
import { createProgressReporter } from './progressReporter.ts'

/**
 * The spec as compared between a file and a stored study: a file without a seed matches any recorded
 * seed, and the trial budget is not part of it (the last one given, file or --trials, is the study's).
 */
function comparable(spec: StudySpec, ignoreSeed: boolean): Record<string, unknown> {
  const raw = studySpecToRaw(spec)
  delete raw.notes
  delete raw.tags
  // where trials run may change between runs (a study moved to a cluster): it changes no result
  delete raw.executor
  raw.budget = { ...spec.budget, trials: undefined }
  if (ignoreSeed) delete raw.seed
  return raw
}

export function createOrMatchStudy(store: StudyStore, file: string, trials?: number): number {
  const parsed = loadStudyFile(file)
  if (!parsed.ok) throw new CliError(EXIT.badInput, parsed.errors.map((e) => e.message).join('\n'))
  const spec = {
    ...parsed.value,
    budget: { ...parsed.value.budget, trials: trials ?? parsed.value.budget.trials },
  }
  const existing = store.getStudy(spec.name)
  if (!existing) return store.createStudy(withStudySeed(spec)).id
  const diff = specDiff(
    comparable(existing.spec, spec.seed === undefined),
    comparable(spec, spec.seed === undefined),
  )
  if (diff.length) {
    throw new CliError(
      EXIT.badInput,
      `study "${spec.name}" exists with a different spec; rename the study or restore the file. Differences (stored → file):\n  ${diff.join('\n  ')}`,
    )
  }
  if (JSON.stringify(existing.spec.executor) !== JSON.stringify(spec.executor))
    store.updateStudyMeta(existing.id, { executor: spec.executor ?? null })
  setBudget(store, existing.id, spec.budget.trials)
  return existing.id
}

/** Makes `trials` the study's budget (list, show and a later resume use it), saying so when it changes. */
export function setBudget(store: StudyStore, studyId: number, trials: number): void {
  const study = store.getStudy(studyId)!
  if (study.spec.budget.trials === trials) return
  store.updateStudyMeta(studyId, { budgetTrials: trials })
  process.stderr.write(
    `study "${study.name}": trial budget ${study.spec.budget.trials} → ${trials}\n`,
  )
}

export async function runStudyHere(
  store: StudyStore,
  studyId: number,
  options: { trials?: number; json?: boolean },
): Promise<number> {
  store.recoverStaleTrials()
  if (options.trials !== undefined) setBudget(store, studyId, options.trials)
  const study = store.getStudy(studyId)!
  if (study.spec.objective.kind === 'external') {
    // Its trials come from clients that ask, through serve; this process has nothing to run.
    const message = `study "${study.name}" takes its trials from clients: run hpo-studio serve --db ${store.path}, then in Python: hpo_studio.connect(URL, "${study.name}")`
    if (options.json) printJson({ study: study.name, state: study.state, external: true, message })
    else console.log(message)
    return EXIT.ok
  }
  const summary = store.listStudies().find((s) => s.id === studyId)!
  const total = study.spec.budget.trials
  const mode = options.json ? 'silent' : process.stdout.isTTY ? 'bar' : 'lines'
  if (!options.json) {
    console.log(
      `study "${study.name}" (${study.spec.tuner.kind} on ${study.spec.objective.kind}, seed ${study.seed}): ${summary.trialsDone}/${total} trials done; database ${store.path}`,
    )
  }
  const reporter = createProgressReporter({
    mode,
    done: summary.trialsDone,
    total,
    best: summary.bestValue,
  })
  // Ctrl-C is handled from the start: during start-up it ends the workers already started
  let interrupted = false
  let run: StudyRun | undefined
  const startUp = new AbortController()
  const onSigint = (): void => {
    if (interrupted) process.exit(EXIT.interrupted)
    interrupted = true
    if (!options.json)
      process.stderr.write(
        '\nstopping: running trials become interrupted (Ctrl-C again to quit at once)\n',
      )
    startUp.abort()
    run?.stop('local')
  }
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigint)
  let outcome: StudyRunOutcome
  try {
    run = await startStudyRun({
      store,
      studyId,
      workers: createNodeChildHost(),
      holder: { pid: process.pid, host: os.hostname() },
      signal: startUp.signal,
      onEvent: (e) => reporter.onEvent(e),
    })
    if (interrupted) run.stop('local')
    outcome = await run.done
  } catch (e) {
    if (interrupted) return EXIT.interrupted
    if (e instanceof LeaseHeldError || e instanceof StudyDataError)
      throw new CliError(EXIT.badInput, e.message)
    throw e
  } finally {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigint)
    reporter.stop()
  }

  const trials = store.listTrials(studyId)
  const best = bestTrials(study.spec, trials)
  const several = study.spec.objectives !== undefined
  if (options.json) {
    const brief = (t: (typeof best)[number]) => ({
      number: t.number,
      value: t.value,
      ...(several ? { values: t.values } : {}),
      params: t.params,
    })
    printJson({
      study: study.name,
      state: outcome.state,
      error: outcome.error,
      trials: trials.length,
      ...(several ? { bestTrials: best.map(brief) } : { best: best[0] ? brief(best[0]) : null }),
    })
  } else {
    console.log(
      `study "${study.name}" ${outcome.state}${outcome.error ? `: ${outcome.error}` : ''}`,
    )
    if (several)
      console.log(
        `best trials (Pareto front): ${best.map((t) => t.number).join(', ') || 'none yet'} (hpo-studio show lists their values)`,
      )
    else if (best[0])
      console.log(
        `best: trial ${best[0].number}, ${study.spec.metric} = ${best[0].value}\n  ${JSON.stringify(best[0].params)}`,
      )
    if (outcome.state === 'stopped' || outcome.state === 'paused')
      console.log(`continue with: hpo-studio resume ${study.name} --db ${store.path}`)
  }
  if (interrupted) return EXIT.interrupted
  if (outcome.requestedBy === 'remote') return EXIT.requested
  return outcome.state === 'failed' ? EXIT.studyFailed : EXIT.ok
}
