import { describe, expect, it } from 'vitest'
import {
  checkCnnSpec,
  cnnParamDefs,
  PAPER_CNN_DEFAULTS,
  PAPER_CNN_PARAMS,
  resolveCnnParams,
} from './cnnParams.ts'
import { parseStudySpec } from './studySpec.ts'

const study = (objective: Record<string, unknown>, space: Record<string, unknown>) => ({
  name: 'cnn-test',
  direction: 'maximize',
  objective: { kind: 'cnn', dataset: 'fashion-mnist', ...objective },
  space,
})

function errorsOf(raw: unknown): { path: string; rule: string; message: string }[] {
  const r = parseStudySpec(raw)
  return r.ok ? [] : r.errors.map(({ path, rule, message }) => ({ path, rule, message }))
}

describe('paper-cnn hyperparameters', () => {
  it('has the 16 of the paper, with LeNet-5 as defaults', () => {
    expect(PAPER_CNN_PARAMS.map((d) => d.name)).toEqual([
      'batch_size',
      'conv1_stride',
      'conv1_kernel',
      'conv1_channels',
      'pool1_kernel',
      'pool1_stride',
      'pool1_type',
      'conv2_stride',
      'conv2_kernel',
      'conv2_channels',
      'pool2_kernel',
      'pool2_stride',
      'pool2_type',
      'fc1_units',
      'fc2_units',
      'learning_rate',
    ])
    expect(PAPER_CNN_DEFAULTS).toMatchObject({
      conv1_kernel: 5,
      conv1_channels: 6,
      pool1_kernel: 2,
      pool1_stride: 2,
      pool1_type: 'max',
      conv2_channels: 16,
      fc1_units: 120,
      fc2_units: 84,
    })
  })

  it('resolves a trial: params over fixed over defaults, epochs tunable', () => {
    const v = resolveCnnParams(
      'paper-cnn',
      3,
      { batch_size: 32, fc1_units: 50 },
      { fc1_units: 200, epochs: 5 },
    )
    expect(v).toMatchObject({ batch_size: 32, fc1_units: 200, fc2_units: 84, epochs: 5 })
    expect(resolveCnnParams('softmax', 2, {}, {})).toEqual({
      batch_size: 64,
      learning_rate: 0.1,
      epochs: 2,
    })
    expect(() => resolveCnnParams('paper-cnn', 3, {}, { conv1_kernel: 2.5 })).toThrow(
      'conv1_kernel: must be an integer, got 2.5',
    )
    expect(() => resolveCnnParams('softmax', 3, {}, { conv1_kernel: 3 })).toThrow(
      'conv1_kernel: not a hyperparameter of model softmax; known: batch_size, learning_rate, epochs',
    )
  })
})

describe('checkCnnSpec (through parseStudySpec)', () => {
  it("accepts the paper's full space and any subset with the rest fixed", () => {
    const space = {
      batch_size: { type: 'int', low: 24, high: 128 },
      conv1_stride: { type: 'int', low: 1, high: 5 },
      pool1_type: { type: 'categorical', choices: ['max', 'average'] },
      learning_rate: { type: 'float', low: 0.001, high: 0.05, log: true },
      epochs: { type: 'int', low: 1, high: 4 },
    }
    expect(errorsOf(study({ fixed: { fc1_units: 500, pool2_type: 'average' } }, space))).toEqual([])
  })

  it('rejects unknown names in space and fixed, listing the known ones', () => {
    const errors = errorsOf(
      study({ fixed: { dropout: 0.5 } }, { conv_kernel: { type: 'int', low: 2, high: 5 } }),
    )
    expect(errors.map((e) => [e.path, e.rule])).toEqual([
      ['space.conv_kernel', 'unknown-param'],
      ['objective.fixed.dropout', 'unknown-param'],
    ])
    expect(errors[0].message).toMatch(
      /^space\.conv_kernel: not a hyperparameter of model paper-cnn; known: batch_size, conv1_stride/,
    )
  })

  it('rejects out-of-range bounds, wrong types, bad choices and a name both tuned and fixed', () => {
    const errors = errorsOf(
      study(
        { fixed: { fc1_units: 0, learning_rate: 0.01 } },
        {
          conv1_kernel: { type: 'int', low: 0, high: 5 },
          conv1_stride: { type: 'float', low: 1, high: 3 },
          pool1_type: { type: 'categorical', choices: ['max', 'median'] },
          pool2_type: { type: 'int', low: 1, high: 2 },
          learning_rate: { type: 'float', low: 0, high: 0.1 },
        },
      ),
    )
    expect(errors.map((e) => e.message)).toEqual([
      'space.conv1_kernel.low: low must be in [1, 32], got 0',
      'space.conv1_stride.type: conv1_stride is an integer: use type int (or categorical of integers), got type float',
      'space.pool1_type.choices[1]: must be one of max, average, got "median"',
      'space.pool2_type.type: pool2_type is one of max, average: use type categorical, got type int',
      'space.learning_rate.low: low must be > 0 and ≤ 10, got 0',
      'objective.fixed.fc1_units: must be in [1, 16384], got 0',
      'objective.fixed.learning_rate: is also in space: tune it or fix it, not both',
    ])
  })

  it('knows the softmax model has only batch_size, learning_rate and epochs', () => {
    expect(cnnParamDefs('softmax').map((d) => d.name)).toEqual([
      'batch_size',
      'learning_rate',
      'epochs',
    ])
    const errors = errorsOf(
      study({ model: 'softmax' }, { fc1_units: { type: 'int', low: 10, high: 20 } }),
    )
    expect(errors.map((e) => e.path)).toEqual(['space.fc1_units'])
  })

  it('leaves other objective kinds alone', () => {
    const r = parseStudySpec({
      name: 's',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
    })
    expect(r.ok).toBe(true)
    if (r.ok) expect(checkCnnSpec(r.value)).toEqual([])
  })
})
