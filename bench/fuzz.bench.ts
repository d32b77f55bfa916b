// `npm run bench -- fuzz [--cases=N] [--kills=K] [--seed=S]`: issue 14's hostile-input fuzz at scale —
// N cases per target (study files, CSV data sets, command outputs, imports, API calls, HTTP bodies;
// default 1000) through the same targets as test/fuzz/fuzz.test.ts — then K SIGKILLs of a running study
// (default 20, test/helpers/killLoop.ts). Reports cases, clear errors, stack traces, hangs and data
// lost; every failure must be 0. The figures are counts, not timings, so there is no timing baseline;
// cases per second are printed for scale only.
import fc from 'fast-check'
import { runKillLoop } from '../test/helpers/killLoop.ts'
import * as fuzzing from '../test/fuzz/fuzzTargets.ts'
import { option, writeBenchResult } from './benchUtil.ts'

async function fuzz<T>(target: fuzzing.FuzzTarget<T>, cases: number, seed: number) {
  const counts = fuzzing.emptyCounts()
  const failures: string[] = []
  const t0 = performance.now()
  for (const input of fc.sample(target.arbitrary, { numRuns: cases, seed })) {
    const { verdict, detail } = await fuzzing.judge(target, input)
    counts.cases++
    counts[verdict]++
    if (fuzzing.FAILURES.includes(verdict) && failures.length < 5)
      failures.push(`${verdict}: ${(detail ?? '').split('\n').slice(0, 3).join(' | ')}`)
  }
  const seconds = (performance.now() - t0) / 1000
  console.log(
    `${target.name.padEnd(16)} ${String(counts.cases).padStart(6)} cases: ${counts.accepted} accepted, ` +
      `${counts['clear-error']} clear errors, ${counts['stack-trace']} stack traces, ${counts.hang} hangs, ` +
      `${counts['data-lost']} data lost, ${counts['accepted-invalid']} accepted-invalid ` +
      `(${(counts.cases / seconds).toFixed(0)} cases/s)`,
  )
  for (const f of failures) console.log(`    ${f}`)
  return { name: target.name, counts, failures, seconds }
}

export default async function (args: string[]): Promise<void> {
  const cases = Number(option(args, 'cases') ?? 1000)
  const kills = Number(option(args, 'kills') ?? 20)
  const seed = Number(option(args, 'seed') ?? Date.now() % 2 ** 31)
  console.log(
    `fuzz: ${cases} cases per target, seed ${seed}; then ${kills} SIGKILLs of a running study`,
  )
  const tmp = fuzzing.tempFuzzDir()
  const results = []
  try {
    const opened = await fuzzing.openFuzzTargets(tmp.dir)
    for (const target of opened.targets) results.push(await fuzz(target, cases, seed))
    await opened.close()
  } finally {
    tmp.remove()
  }
  const total: fuzzing.Counts = fuzzing.emptyCounts()
  for (const r of results)
    for (const k of Object.keys(total) as (keyof fuzzing.Counts)[]) total[k] += r.counts[k]

  const killLoop = kills > 0 ? await runKillLoop({ kills, budget: 40, seed }) : null
  if (killLoop)
    console.log(
      `SIGKILL loop: ${killLoop.kills} kills, ${killLoop.completeLost.length} complete trials lost, ` +
        `${killLoop.leftRunning} left running, ${killLoop.orphans} orphan processes, ` +
        `${killLoop.integrityFailures} integrity failures, ${killLoop.interrupted} interrupted trials re-run ` +
        `(${killLoop.paramsChanged} with other params); resumed: ${killLoop.finalState}, ` +
        `${killLoop.finalComplete}/${killLoop.budget} complete`,
    )
  const dataLost = total['data-lost'] + (killLoop?.completeLost.length ?? 0)
  console.log(
    `total: ${total.cases} cases, ${total['clear-error']} clear errors, ${total.accepted} accepted, ` +
      `${total['stack-trace']} stack traces, ${total.hang} hangs, ${dataLost} data lost, ` +
      `${total['accepted-invalid']} accepted-invalid`,
  )
  console.log(
    `wrote ${writeBenchResult('fuzz', { seed, casesPerTarget: cases, total, dataLost, targets: results, killLoop })}`,
  )
}
