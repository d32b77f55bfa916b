// docs/study-file.md cannot drift from the code: every key, kind and named option of the study-file
// schemas, every XGBoost and CNN hyperparameter name, every setting and every command and flag of the
// CLI must appear in it. A key added to a schema without a line in the reference fails here.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../src/main/cli/main.ts'
import { SETTING_KEYS } from '../../src/main/api/settingsHandlers.ts'
import { cnnParamDefs } from '../../src/shared/cnnParams.ts'
import {
  OBJECTIVE_KINDS,
  OBJECTIVE_METRICS,
  objectiveSpecSchema,
} from '../../src/shared/objectiveSpec.ts'
import { EXECUTOR_KINDS, executorSpecSchema } from '../../src/shared/executorSpec.ts'
import { PRUNER_KINDS, prunerSpecSchema } from '../../src/shared/prunerSpec.ts'
import { ALLOWED_KEYS } from '../../src/shared/searchSpace.ts'
import { fileSchema } from '../../src/shared/studySpec.ts'
import { SYNTHETIC_FUNCTIONS } from '../../src/shared/syntheticFunctions.ts'
import { TUNER_KINDS, tunerSpecSchema } from '../../src/shared/tunerSpec.ts'
import {
  GBDT_RESERVED_PARAMS,
  XGBOOST_ALIASES,
  XGBOOST_PARAMS,
} from '../../src/shared/xgboostParams.ts'
import { BACKEND_ORDER } from '../../src/worker/tf/selectBackend.ts'
import { ROOT } from '../helpers/cli.ts'

const DOC = readFileSync(path.join(ROOT, 'docs/study-file.md'), 'utf8')

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Documented: written as code (`name`, `name …`) or as a YAML key (`{ name: …`, `  name: …`). */
function documented(word: string): boolean {
  const w = escape(word)
  return new RegExp(`\`${w}[\` ]|(^|[\\s{,])${w}:`, 'm').test(DOC)
}

/** Property names, `const` and `enum` strings anywhere in a zod schema (through its JSON Schema). */
function schemaWords(schema: z.ZodType): string[] {
  const words = new Set<string>()
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk)
    if (typeof node !== 'object' || node === null) return
    const o = node as Record<string, unknown>
    if (o.properties && typeof o.properties === 'object')
      Object.keys(o.properties).forEach((k) => words.add(k))
    if (typeof o.const === 'string') words.add(o.const)
    if (Array.isArray(o.enum))
      o.enum.filter((v) => typeof v === 'string').forEach((v) => words.add(v))
    Object.values(o).forEach(walk)
  }
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }))
  return [...words]
}

function missing(words: Iterable<string>): string[] {
  return [...new Set(words)].filter((w) => !documented(w)).sort()
}

describe('docs/study-file.md documents', () => {
  it('every top-level key of a study file', () => {
    expect(missing(schemaWords(fileSchema))).toEqual([])
  })

  it('every objective kind, its keys and named values, and its metrics', () => {
    expect(missing([...OBJECTIVE_KINDS, ...schemaWords(objectiveSpecSchema)])).toEqual([])
    expect(missing(Object.values(OBJECTIVE_METRICS).flatMap((m) => Object.keys(m)))).toEqual([])
    expect(missing(SYNTHETIC_FUNCTIONS)).toEqual([])
  })

  it('every tuner kind and option', () => {
    expect(missing([...TUNER_KINDS, ...schemaWords(tunerSpecSchema)])).toEqual([])
  })

  it('every pruner kind and option', () => {
    expect(missing([...PRUNER_KINDS, ...schemaWords(prunerSpecSchema)])).toEqual([])
  })

  it('every executor kind and option', () => {
    expect(missing([...EXECUTOR_KINDS, ...schemaWords(executorSpecSchema)])).toEqual([])
  })

  it('every search-space type and key', () => {
    expect(missing(Object.keys(ALLOWED_KEYS))).toEqual([])
    expect(missing(Object.values(ALLOWED_KEYS).flat())).toEqual([])
  })

  it('every XGBoost name a gbdt study accepts or refuses, and every CNN hyperparameter', () => {
    expect(missing(Object.keys(XGBOOST_PARAMS))).toEqual([])
    expect(missing(Object.keys(XGBOOST_ALIASES))).toEqual([])
    expect(missing(Object.keys(GBDT_RESERVED_PARAMS))).toEqual([])
    const cnn = [...cnnParamDefs('paper-cnn'), ...cnnParamDefs('softmax')].map((d) => d.name)
    expect(missing(cnn)).toEqual([])
  })

  it('every setting and TensorFlow.js backend', () => {
    expect(missing(Object.values(SETTING_KEYS))).toEqual([])
    expect(missing(BACKEND_ORDER)).toEqual([])
  })

  it('every command of the CLI and each of its flags', () => {
    const undocumented: string[] = []
    const visit = (cmd: Command, prefix: string) => {
      for (const sub of cmd.commands) {
        const name = `${prefix}${sub.name()}`
        if (!new RegExp(`\`${escape(name)}[\` ]`).test(DOC)) undocumented.push(name)
        for (const opt of sub.options)
          if (opt.long && !DOC.includes(`\`${opt.long}`)) undocumented.push(`${name} ${opt.long}`)
        visit(sub, `${name} `)
      }
    }
    visit(buildProgram(), '')
    expect(undocumented).toEqual([])
  })

  it('and the check itself finds what is missing', () => {
    expect(documented('warmupSteps')).toBe(true)
    expect(documented('noSuchOption')).toBe(false)
    expect(
      missing(schemaWords(z.strictObject({ kind: z.literal('zzz'), qqq: z.enum(['a1b2']) }))),
    ).toEqual(['a1b2', 'qqq', 'zzz'])
  })
})
