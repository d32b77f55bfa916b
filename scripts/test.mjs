// `npm test`: system packages, lint + format, typecheck, then every vitest suite (unit, integration,
// conformance, end-to-end in Chromium), then the Python client's unittest suite. Ends with one line:
// `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

const counts = { passed: 0, failed: 0, skipped: 0 }
const run = (label, cmd, args) => {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  return r.status === 0
}
const check = (label, cmd, args) => {
  const ok = run(label, cmd, args)
  counts[ok ? 'passed' : 'failed']++
  if (!ok) console.log(`FAILED: ${label}`)
  return ok
}

if (!run('system packages', 'bash', ['scripts/systemDeps.sh'])) {
  console.log('\n0 passed, 1 failed, 0 skipped')
  process.exit(1)
}
check('lint', 'npx', ['eslint', '.'])
check('format', 'npx', ['prettier', '--check', '.'])
check('typecheck', 'npm', ['run', '-s', 'typecheck'])

const report = '.vitest-report.json'
rmSync(report, { force: true })
const extra = process.argv.slice(2)
const vitestOk = run('vitest', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extra,
])
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  counts.passed += r.numPassedTests
  counts.failed += r.numFailedTests
  counts.skipped += r.numPendingTests + r.numTodoTests
  // A suite that failed to load has no test results of its own: count it as a failure.
  const broken = (r.testResults ?? []).filter(
    (s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0,
  )
  counts.failed += broken.length
  for (const s of broken)
    console.log(`FAILED to load: ${s.name}: ${(s.message ?? '').split('\n')[0]}`)
} else if (!vitestOk) counts.failed++
if (!vitestOk && counts.failed === 0) counts.failed++

// The Python client's unittest suite, with Debian's python3 (it has python3-optuna and scikit-learn).
const pySummary = '.python-test-summary.json'
rmSync(pySummary, { force: true })
const pyOk = run('python client', '/usr/bin/python3', [
  'clients/python/tests/run_tests.py',
  '--summary',
  pySummary,
])
if (existsSync(pySummary)) {
  const p = JSON.parse(readFileSync(pySummary, 'utf8'))
  counts.passed += p.passed
  counts.failed += p.failed
  counts.skipped += p.skipped
} else if (!pyOk) counts.failed++

console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
process.exit(counts.failed ? 1 : 0)
