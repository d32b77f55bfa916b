// The fuzz targets of issue 14, shared by the property suite (test/fuzz/fuzz.test.ts, a few hundred
// cases) and `npm run bench -- fuzz` (thousands). Each case is one hostile input through the real entry
// point — the CLI's main(), the trainers' CSV reader, the command-output parser, the API handler table,
// the HTTP server — and gets one verdict: accepted, refused with a clear error, or a failure (a stack
// trace or an internal error, a hang, something written by a refused input, a space that validates and
// then cannot be sampled).
import fc from 'fast-check'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { stringify } from 'yaml'
import { createRunnerHub } from '../../src/main/runner/runnerHub.ts'
import { startServer, type RunningServer } from '../../src/main/server/startServer.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import { createStudioHandlers, type StudioService } from '../../src/main/api/studioHandlers.ts'
import { loadStudyFile } from '../../src/main/files/studyFile.ts'
import { createNodeChildHost } from '../../src/main/workers/nodeChildHost.ts'
import { nestsDeeperThan } from '../../src/shared/jsonDepth.ts'
import { decodePoint, validateConfig } from '../../src/shared/spaceCodec.ts'
import { STUDIO_METHODS } from '../../src/shared/studioApi.ts'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import { DatasetError, readCsv } from '../../src/worker/data/readCsv.ts'
import { parseOutputLine } from '../../src/worker/objectives/commandObjective.ts'
import { runMain, STACK_FRAME } from '../helpers/inProcessCli.ts'

export type Verdict =
  'accepted' | 'clear-error' | 'stack-trace' | 'hang' | 'data-lost' | 'accepted-invalid'

export const FAILURES: readonly Verdict[] = ['stack-trace', 'hang', 'data-lost', 'accepted-invalid']

export interface FuzzTarget<T> {
  name: string
  arbitrary: fc.Arbitrary<T>
  run(input: T): Promise<{ verdict: Verdict; detail?: string }>
}

/** A case slower than this counts as a hang (every input here is small). */
export const HANG_MS = 15_000

const nest = (depth: number): unknown => {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v]
  return v
}

/** Values that broke the CLI, the API or the trainers before (issue 14), and plain random ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      0,
      -1,
      0.5,
      1e308,
      -1e308,
      5e-324,
      2 ** 53,
      1e300,
      2_147_484,
      1e9,
      '',
      ' ',
      '__proto__',
      'constructor',
      '%E0%A4%A',
      '\u0000',
      '\ufeff1',
      '1e400',
      'NaN',
      '*alias',
      '/dev/zero',
      '../../etc/passwd',
      [],
      {},
      [null],
    ),
  },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 3000 }).map(nest) },
  { weight: 1, arbitrary: fc.integer({ min: 101, max: 300_000 }).map((n) => 'p'.repeat(n)) },
)

// ── study files ─────────────────────────────────────────────────────────────────────────────────────

const SEED_SPECS: Record<string, unknown>[] = [
  {
    name: 'fz-branin',
    direction: 'minimize',
    objective: { kind: 'synthetic', function: 'branin' },
    budget: { trials: 5 },
    seed: 0,
  },
  {
    name: 'fz-command',
    direction: 'minimize',
    metric: 'loss',
    objective: { kind: 'command', run: ['true', '--epochs', '3'], timeoutSeconds: 60 },
    space: {
      x: { type: 'float', low: -5, high: 5 },
      lr: { type: 'float', low: 0.0001, high: 1, log: true },
      layers: { type: 'int', low: 1, high: 8, step: 1 },
      opt: { type: 'categorical', choices: ['adam', 'sgd', 1] },
      momentum: { type: 'float', low: 0, high: 0.99, step: 0.01, when: { opt: 'sgd' } },
    },
    tuner: { kind: 'tpe', nStartupTrials: 3 },
    pruner: { kind: 'median', warmupSteps: 3 },
    trialTimeoutSeconds: 600,
    concurrency: 2,
  },
  {
    name: 'fz-grid',
    direction: 'maximize',
    objective: { kind: 'command', run: ['true'] },
    space: { a: { type: 'int', low: 0, high: 10 }, b: { type: 'bool' } },
    tuner: { kind: 'grid', pointsPerFloat: 5 },
  },
]

/** Every path to a key or element of a JSON value, down to 8 levels (a hostile value may nest thousands). */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null || at.length >= 8) return [at]
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)
  return [at, ...keys.flatMap((k) => paths((v as Record<string, unknown>)[k], [...at, k]))]
}

/** A copy of root with the value at `at` set or removed; only the containers on the path are copied. */
function setAt(root: unknown, at: (string | number)[], value: unknown, remove: boolean): unknown {
  if (at.length === 0) return value
  if (typeof root !== 'object' || root === null) return root
  const copy = (Array.isArray(root) ? [...root] : { ...root }) as Record<string | number, unknown>
  const [k, ...rest] = at
  if (rest.length) copy[k] = setAt(copy[k], rest, value, remove)
  else if (remove) delete copy[k]
  else
    Object.defineProperty(copy, k, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

/** null 7 times in 8: a text cut or insertion spoils most files, and a few are enough. */
const rarely = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: a })

/** A study file's text: a seed spec with a few keys set to hostile values, removed or added, then maybe cut. */
export const studyText: fc.Arbitrary<string> = fc
  .record({
    seed: fc.nat(SEED_SPECS.length - 1),
    edits: fc.array(
      fc.record({
        pick: fc.nat(),
        value: fc.oneof(
          { weight: 2, arbitrary: hostileValue },
          { weight: 1, arbitrary: fc.double() },
          { weight: 1, arbitrary: fc.integer({ min: -10, max: 1000 }) },
        ),
        op: fc.constantFrom('set', 'set', 'remove', 'add'),
        key: fc.constantFrom('extra', '__proto__', 'x', 'step', 'when', 'kind'),
      }),
      { minLength: 0, maxLength: 2 },
    ),
    yaml: fc.boolean(),
    cut: rarely(fc.nat()),
    insert: rarely(fc.constantFrom('*nope', '&a', ': :', '\t', '{', '"', '!!binary', '\ufeff')),
  })
  .map(({ seed, edits, yaml, cut, insert }) => {
    let spec: unknown = SEED_SPECS[seed]
    for (const e of edits) {
      const all = paths(spec)
      const at = all[e.pick % all.length]
      spec =
        e.op === 'add'
          ? setAt(spec, [...at, e.key], e.value, false)
          : setAt(spec, at, e.value, e.op === 'remove')
    }
    // yaml's stringify recurses; a deep value goes in as JSON (which is YAML too)
    let text =
      yaml && !nestsDeeperThan(spec, 50)
        ? stringify(spec, { aliasDuplicateObjects: false })
        : JSON.stringify(spec)
    if (insert !== null) {
      const at = (cut ?? text.length) % (text.length + 1)
      text = text.slice(0, at) + insert + text.slice(at)
    } else if (cut !== null) text = text.slice(0, cut % (text.length + 1))
    return text
  })

/** Writes each input to its own file in `dir`: PREFIX-N.EXT. */
function fileWriter(dir: string, prefix: string): (ext: string, text: string) => string {
  let n = 0
  return (ext, text) => {
    const file = path.join(dir, `${prefix}-${n++}.${ext}`)
    writeFileSync(file, text)
    return file
  }
}

/** The output of a CLI command: exit 0 or 2, and never a stack trace. */
function cliVerdict(r: { code: number | null; stdout: string; stderr: string }): Verdict {
  if (STACK_FRAME.test(r.stdout + r.stderr)) return 'stack-trace'
  if (r.code === 0) return 'accepted'
  return r.code === 2 && r.stderr.trim() ? 'clear-error' : 'stack-trace'
}

export function studyFileTarget(dir: string): FuzzTarget<string> {
  const write = fileWriter(dir, 'study')
  return {
    name: 'study files',
    arbitrary: studyText,
    async run(text) {
      const file = write('yaml', text)
      const r = await runMain(['validate', file])
      const verdict = cliVerdict(r)
      if (verdict !== 'accepted') return { verdict, detail: r.stderr.slice(0, 500) }
      // what validates must also run: every configuration the space makes must validate
      const parsed = loadStudyFile(file)
      if (!parsed.ok) return { verdict: 'stack-trace', detail: 'validate and run disagree' }
      const { space } = parsed.value
      for (const u of [0, 0.37, 1]) {
        const config = decodePoint(
          space,
          space.params.map(() => u),
        )
        const errors = validateConfig(space, config)
        if (errors.length) return { verdict: 'accepted-invalid', detail: errors[0].message }
      }
      return { verdict }
    },
  }
}

// ── CSV data sets ───────────────────────────────────────────────────────────────────────────────────

const csvCell = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }).map(String) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      'NA',
      'nan',
      'N/A',
      '?',
      'x',
      '"q"',
      '"a,b"',
      '"unclosed',
      ' 1 ',
      '1e400',
      '\ufeff',
      'a"b',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
)

/** A CSV data set's text: a header and rows, half of them clean, the rest with ragged rows, hostile cells and line endings. */
export const csvText: fc.Arbitrary<string> = fc
  .record({
    clean: fc.boolean(),
    bom: fc.boolean(),
    header: fc.oneof(
      {
        weight: 12,
        arbitrary: fc.constantFrom(
          ['a', 'b', 'target'],
          ['x', 'target'],
          ['f1', 'f2', 'f3', 'target'],
        ),
      },
      {
        weight: 1,
        arbitrary: fc.array(fc.constantFrom('a', 'b', 'target', 'x,y', '', '"t"'), {
          maxLength: 5,
        }),
      },
    ),
    rows: fc.array(
      fc.record({
        cells: fc.array(csvCell, { minLength: 4, maxLength: 4 }),
        numbers: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String), {
          minLength: 4,
          maxLength: 4,
        }),
        label: fc.constantFrom('0', '1', '2', 'cat', ''),
        ragged: fc.nat(9),
      }),
      { minLength: 2, maxLength: 12 },
    ),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(({ clean, bom, header, rows, eol }) => {
    const width = Math.max(1, header.length)
    const lines = rows.map(({ cells, numbers, label, ragged }, i) =>
      clean
        ? [...numbers.slice(0, width - 1), String(i % 2)]
        : [...cells.slice(0, ragged === 0 ? (width + 1) % 5 : width - 1), label],
    )
    return (bom ? '\ufeff' : '') + [header, ...lines].map((r) => r.join(',')).join(eol) + eol
  })

export function csvTarget(dir: string): FuzzTarget<string> {
  const write = fileWriter(dir, 'data')
  return {
    name: 'CSV data sets',
    arbitrary: csvText,
    async run(text) {
      const file = write('csv', text)
      try {
        readCsv(file, { target: text.includes('target') ? 'target' : undefined })
        return { verdict: 'accepted' }
      } catch (e) {
        const clear = e instanceof DatasetError && e.message.startsWith(file)
        return {
          verdict: clear ? 'clear-error' : 'stack-trace',
          detail: String((e as Error).stack),
        }
      }
    },
  }
}

// ── command outputs ─────────────────────────────────────────────────────────────────────────────────

/** A line a training program may print: JSON value reports with hostile values, or anything. */
export const outputLine: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({ value: hostileValue, step: fc.option(hostileValue), extra: fc.option(hostileValue) })
    .map(({ value, step, extra }) =>
      JSON.stringify({
        value,
        ...(step === null ? {} : { step }),
        ...(extra === null ? {} : { extra }),
      }),
    ),
  fc.constantFrom(
    '{"value": 1e400}',
    '{"value": NaN}',
    '{"value": -Infinity, "step": 1}',
    '{"value": 1, "step": 1e999}',
    `{"value": 1, "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    '{"value": 1, "__proto__": {"polluted": true}}',
    '{"value"',
  ),
  fc.string({ maxLength: 40 }),
)

export const outputTarget: FuzzTarget<string> = {
  name: 'command outputs',
  arbitrary: outputLine,
  async run(line) {
    let parsed
    try {
      parsed = parseOutputLine(line)
      // what main is sent: it must survive the IPC's structured clone
      structuredClone(parsed)
    } catch (e) {
      return { verdict: 'stack-trace', detail: String((e as Error).stack) }
    }
    if (parsed.kind === 'bad') return { verdict: 'clear-error' }
    if ((parsed.kind === 'final' || parsed.kind === 'step') && !Number.isFinite(parsed.value))
      return { verdict: 'accepted-invalid', detail: `value ${parsed.value}` }
    if (({} as Record<string, unknown>).polluted)
      return { verdict: 'accepted-invalid', detail: 'prototype polluted' }
    return { verdict: 'accepted' }
  },
}

// ── imports ─────────────────────────────────────────────────────────────────────────────────────────

const IMPORT_SPACE_SPEC = {
  name: 'fz-import',
  direction: 'minimize',
  objective: { kind: 'command', run: ['true'] },
  space: {
    x: { type: 'float', low: 0, high: 10 },
    n: { type: 'int', low: 1, high: 5 },
    c: { type: 'categorical', choices: ['1', 'two', 3] },
    b: { type: 'bool' },
  },
}

const importCell = fc.oneof(
  fc.constantFrom(
    '1',
    '2.5',
    '10',
    '11',
    '-1',
    '',
    'two',
    '3',
    'true',
    'false',
    'True',
    '1e400',
    'NaN',
    '"q,"',
    '"open',
  ),
  fc.double().map(String),
)

/** An import file: CSV (header from the space's names, ragged rows) or JSON (rows of hostile values). */
export const importFile: fc.Arbitrary<{ ext: 'csv' | 'json'; text: string }> = fc.oneof(
  fc
    .record({
      bom: fc.boolean(),
      header: fc.shuffledSubarray(['x', 'n', 'c', 'b', 'value', 'number', 'x'], { minLength: 1 }),
      rows: fc.array(fc.array(importCell, { maxLength: 7 }), { maxLength: 6 }),
    })
    .map(({ bom, header, rows }) => ({
      ext: 'csv' as const,
      text: (bom ? '\ufeff' : '') + [header, ...rows].map((r) => r.join(',')).join('\n') + '\n',
    })),
  fc
    .array(
      fc.oneof(
        fc.record({
          params: fc.oneof(
            fc.record(
              { x: hostileValue, n: hostileValue, c: hostileValue, b: hostileValue },
              { requiredKeys: [] },
            ),
            hostileValue,
          ),
          value: hostileValue,
        }),
        hostileValue,
      ),
      { maxLength: 5 },
    )
    .map((rows) => ({ ext: 'json' as const, text: JSON.stringify(rows) ?? 'null' })),
)

export function importTarget(
  dir: string,
): FuzzTarget<{ ext: 'csv' | 'json'; text: string }> & { close(): void } {
  const db = path.join(dir, 'import.sqlite')
  const store = openStudyStore(db)
  const parsed = parseStudySpec(IMPORT_SPACE_SPEC)
  if (!parsed.ok) throw new Error(parsed.errors[0].message)
  const { id } = store.createStudy({ ...parsed.value, seed: 1 })
  const write = fileWriter(dir, 'import')
  return {
    name: 'imports',
    arbitrary: importFile,
    async run({ ext, text }) {
      const file = write(ext, text)
      const before = store.listTrials(id).length
      const r = await runMain(['import', 'fz-import', file, '--db', db])
      const verdict = cliVerdict(r)
      const added = store.listTrials(id).length - before
      if (verdict === 'clear-error' && added !== 0)
        return { verdict: 'data-lost', detail: `refused, yet ${added} trials were written` }
      return { verdict, detail: r.stderr.slice(0, 500) }
    },
    close: () => store.close(),
  }
}

// ── API bodies ──────────────────────────────────────────────────────────────────────────────────────

/** Methods left out: they start runs or the analysis worker (real work, not input handling). */
const HEAVY_METHODS = new Set(['startStudy', 'resumeStudy', 'getImportance'])
const FUZZ_METHODS = STUDIO_METHODS.filter((m) => !HEAVY_METHODS.has(m))

const apiArg = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(1, 2, 0, -1, 1.5, '1', null, 'x1', 'value') },
  { weight: 3, arbitrary: hostileValue },
  { weight: 1, arbitrary: studyText.map((text) => ({ text })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ format: 'csv' }, { limit: 5 }, { sort: { by: 'param:x1' } }),
  },
)

export const apiCall = fc.record({
  method: fc.constantFrom(...FUZZ_METHODS),
  args: fc.oneof(
    // shapes real calls have, so that some get past the argument check into the handlers
    {
      weight: 2,
      arbitrary: fc.constantFrom<unknown[]>(
        [],
        [1],
        [1, 0],
        [1, 'x1'],
        [1, 'x1', 'x2'],
        [[1]],
        [1, [0, 1]],
        [1, { format: 'json' }],
        [1, 0, 'config.json'],
      ),
    },
    { weight: 3, arbitrary: fc.array(apiArg, { maxLength: 4 }) },
    { weight: 1, arbitrary: hostileValue },
  ),
})

/** Everything a refused call must leave as it was. */
function digest(store: StudyStore): string {
  const studies = store.listStudies()
  return JSON.stringify([
    studies.map((s) => [s.name, s.state, s.notes, s.tags, s.budgetTrials]),
    studies.map((s) => store.listTrials(s.id).length),
    store.listSettings(),
  ])
}

function seedStore(dir: string): StudyStore {
  const store = openStudyStore(path.join(dir, 'api.sqlite'))
  const parsed = parseStudySpec(SEED_SPECS[0])
  if (!parsed.ok) throw new Error(parsed.errors[0].message)
  const { id } = store.createStudy({ ...parsed.value, seed: 0 })
  store.importTrials(
    id,
    Array.from({ length: 6 }, (_, i) => ({ params: { x1: i, x2: i + 1 }, value: i * 1.5 })),
  )
  return store
}

export function apiTarget(
  dir: string,
): FuzzTarget<{ method: string; args: unknown }> & { close(): void } {
  mkdirSync(dir, { recursive: true })
  const store = seedStore(dir)
  const hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  const service: StudioService = createStudioHandlers({
    store,
    hub,
    transport: 'http',
    datasetDir: path.join(dir, 'datasets'),
    baseDir: dir,
    uploadLimitBytes: 100_000,
    followIntervalMs: 0,
  })
  return {
    name: 'API calls',
    arbitrary: apiCall,
    async run({ method, args }) {
      const before = digest(store)
      const r = await service.call(method, args)
      if (r.ok) return { verdict: 'accepted' }
      if (r.error.code === 'INTERNAL' || STACK_FRAME.test(r.error.message))
        return { verdict: 'stack-trace', detail: `${method}: ${r.error.message.slice(0, 300)}` }
      if (digest(store) !== before)
        return { verdict: 'data-lost', detail: `${method} refused yet wrote` }
      return { verdict: 'clear-error' }
    },
    close() {
      service.close()
      void hub.shutdown()
      store.close()
    },
  }
}

/** A raw HTTP request to `serve`: a method name (maybe badly %-encoded) and a body (maybe not JSON). */
export const httpRequest = fc.record({
  method: fc.oneof(
    fc.constantFrom(...FUZZ_METHODS),
    fc.constantFrom('%E0%A4%A', 'list%ZZ', '..%2F..', '', '%00'),
  ),
  body: fc.oneof(
    apiCall.map(({ args }) => JSON.stringify({ args }) ?? ''),
    fc.string({ maxLength: 30 }),
    fc.integer({ min: 65, max: 20_000 }).map((n) => `{"args": [${'['.repeat(n)}${']'.repeat(n)}]}`),
    fc.constantFrom('', 'null', '[]', '{"args": null}', '{"args": {"0": 1}}', '\ufeff{}'),
  ),
})

export async function httpTarget(
  dir: string,
): Promise<FuzzTarget<{ method: string; body: string }> & { close(): Promise<void> }> {
  mkdirSync(dir, { recursive: true })
  const store = seedStore(dir)
  const hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  const renderer = path.join(dir, 'renderer')
  mkdirSync(renderer, { recursive: true })
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>')
  const server: RunningServer = await startServer({
    store,
    hub,
    port: 0,
    rendererDir: renderer,
    followIntervalMs: 0,
  })
  // One connection per request (agent: false): the targets before this one block the event loop for
  // seconds, so a kept-alive socket would be reused just as the server's keep-alive timeout closes it
  // (ECONNRESET on the first request, however the server answers).
  const cookie = await new Promise<string>((resolve, reject) =>
    request(
      { host: '127.0.0.1', port: server.port, path: `/?token=${server.token}`, agent: false },
      (res) => {
        res.resume()
        resolve(String(res.headers['set-cookie']).split(';')[0])
      },
    )
      .on('error', reject)
      .end(),
  )
  const post = (method: string, body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          agent: false,
          path: `/api/${method}`,
          method: 'POST',
          headers: {
            Host: `127.0.0.1:${server.port}`,
            Cookie: cookie,
            'Content-Type': 'application/json',
          },
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => (text += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  return {
    name: 'HTTP bodies',
    arbitrary: httpRequest.filter(({ method }) => !HEAVY_METHODS.has(method)),
    async run({ method, body }) {
      const before = digest(store)
      const r = await post(method, body)
      if (r.status >= 500 || STACK_FRAME.test(r.text) || r.text.includes('"INTERNAL"'))
        return { verdict: 'stack-trace', detail: `${r.status} ${r.text.slice(0, 300)}` }
      const ok = r.status === 200 && r.text.startsWith('{"ok":true')
      if (!ok && digest(store) !== before)
        return { verdict: 'data-lost', detail: `${method} refused yet wrote` }
      return { verdict: ok ? 'accepted' : 'clear-error' }
    },
    async close() {
      await server.close()
      await hub.shutdown()
      store.close()
    },
  }
}

/** Every target, set up in `dir` (the API and HTTP ones over their own seeded store), and their clean-up. */
export async function openFuzzTargets(
  dir: string,
): Promise<{ targets: FuzzTarget<never>[]; close(): Promise<void> }> {
  const imports = importTarget(dir)
  const api = apiTarget(path.join(dir, 'api'))
  const http = await httpTarget(path.join(dir, 'http'))
  const targets = [studyFileTarget(dir), csvTarget(dir), outputTarget, imports, api, http]
  return {
    targets: targets as unknown as FuzzTarget<never>[],
    async close() {
      imports.close()
      api.close()
      await http.close()
    },
  }
}

// ── running them ────────────────────────────────────────────────────────────────────────────────────

export type Counts = Record<Verdict, number> & { cases: number }

export const emptyCounts = (): Counts => ({
  cases: 0,
  accepted: 0,
  'clear-error': 0,
  'stack-trace': 0,
  hang: 0,
  'data-lost': 0,
  'accepted-invalid': 0,
})

/** Runs one case with the hang limit; a case that throws is a stack trace. */
export async function judge<T>(
  target: FuzzTarget<T>,
  input: T,
): Promise<{ verdict: Verdict; detail?: string }> {
  let timer: NodeJS.Timeout | undefined
  const t0 = performance.now()
  const hang = new Promise<{ verdict: Verdict }>((resolve) => {
    timer = setTimeout(() => resolve({ verdict: 'hang' }), HANG_MS)
  })
  try {
    const r = await Promise.race([
      target.run(input).catch((e: Error) => ({ verdict: 'stack-trace' as const, detail: e.stack })),
      hang,
    ])
    // a synchronous hang blocks the timer too: judge it by the clock
    return performance.now() - t0 > HANG_MS ? { verdict: 'hang' } : r
  } finally {
    clearTimeout(timer)
  }
}

export function tempFuzzDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-fuzz-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
