import { describe, expect, it } from 'vitest'
import { parseStudySpec } from './studySpec.ts'
import {
  checkGbdtSpec,
  suggestXgbName,
  unknownGbdtParamMessage,
  xgbParamString,
  xgbValueProblem,
} from './xgboostParams.ts'

function study(space: Record<string, unknown>, fixed: Record<string, unknown> = {}) {
  return {
    name: 'xgb',
    direction: 'maximize',
    objective: { kind: 'gbdt', dataset: 'data.csv', fixed },
    space,
  }
}

function errorsOf(raw: unknown) {
  const r = parseStudySpec(raw)
  return r.ok ? [] : r.errors
}

describe('gbdt parameter checks', () => {
  it("accepts the paper's XGBoost space with aliases and our own names", () => {
    const r = parseStudySpec(
      study(
        {
          n_estimators: { type: 'int', low: 10, high: 500 },
          max_depth: { type: 'int', low: 1, high: 25 },
          learning_rate: { type: 'float', low: 0.001, high: 0.1, log: true },
          subsample: { type: 'float', low: 0.5, high: 1.0, step: 0.05 },
          colsample_bytree: { type: 'float', low: 0.3, high: 1 },
          min_child_weight: { type: 'float', low: 0, high: 10 },
          reg_alpha: { type: 'float', low: 1e-8, high: 1, log: true },
          gamma: { type: 'float', low: 0, high: 5 },
          booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
          rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
          one_drop: { type: 'bool', when: { booster: 'dart' } },
        },
        { tree_method: 'hist', early_stopping_rounds: 10, max_bin: 128 },
      ),
    )
    expect(r.ok ? [] : r.errors).toEqual([])
  })

  it('rejects a misspelled name in the space with a suggestion, as part of parseStudySpec', () => {
    const errors = errorsOf(study({ max_dept: { type: 'int', low: 1, high: 8 } }))
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'space.max_dept',
        rule: 'xgboost-param',
        value: 'max_dept',
        message: expect.stringMatching(
          /^space\.max_dept: unknown XGBoost parameter "max_dept"; did you mean "max_depth"\?/,
        ),
      }),
    ])
  })

  it('rejects an unknown fixed name, suggesting names from other libraries too', () => {
    const errors = errorsOf(
      study({ eta: { type: 'float', low: 0.01, high: 0.3 } }, { num_leaves: 31 }),
    )
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining(
        'objective.fixed.num_leaves: unknown XGBoost parameter "num_leaves"; did you mean "max_leaves"?',
      ),
    ])
    expect(unknownGbdtParamMessage('zzzzqqq')).not.toContain('did you mean')
  })

  it('rejects objective, num_class and eval_metric: HPO Studio chooses them', () => {
    const errors = errorsOf(
      study(
        { eta: { type: 'float', low: 0.01, high: 0.3 } },
        { objective: 'multi:softmax', num_class: 3, eval_metric: 'mlogloss' },
      ),
    )
    expect(errors.map((e) => e.path)).toEqual([
      'objective.fixed.objective',
      'objective.fixed.num_class',
      'objective.fixed.eval_metric',
    ])
    expect(errors[0].message).toContain('chosen by HPO Studio from the data')
    expect(errors[2].message).toContain("set the study's metric instead")
  })

  it('rejects fixed values out of range or of the wrong type', () => {
    const errors = errorsOf(
      study(
        { eta: { type: 'float', low: 0.01, high: 0.3 } },
        { max_depth: -1, subsample: 0, tree_method: 'histo', max_bin: 2.5, one_drop: 'yes' },
      ),
    )
    expect(errors.map((e) => e.message)).toEqual([
      'objective.fixed.max_depth: max_depth must be in [0, 1000], got -1',
      'objective.fixed.subsample: subsample must be in (0, 1], got 0',
      'objective.fixed.tree_method: tree_method must be one of auto, exact, approx, hist, gpu_hist, got "histo"',
      'objective.fixed.max_bin: max_bin must be an integer, got 2.5',
      'objective.fixed.one_drop: one_drop is true or false, got "yes"',
    ])
    expect(errors.every((e) => e.rule === 'xgboost-range')).toBe(true)
  })

  it('rejects a tuned range that leaves XGBoost’s valid range, and a type that cannot fit', () => {
    const errors = errorsOf(
      study({
        subsample: { type: 'float', low: 0.5, high: 1.5 },
        eta: { type: 'float', low: -0.1, high: 0.3 },
        max_depth: { type: 'float', low: 1, high: 10 },
        tree_method: { type: 'categorical', choices: ['hist', 'histo'] },
        grow_policy: { type: 'int', low: 0, high: 1 },
        gamma: { type: 'bool' },
      }),
    )
    expect(errors.map((e) => e.message)).toEqual([
      "space.subsample: range [0.5, 1.5] leaves XGBoost's valid range (0, 1] for subsample",
      "space.eta: range [-0.1, 0.3] leaves XGBoost's valid range [0, inf) for eta",
      'space.max_depth: max_depth is an integer parameter; use type: int',
      'space.tree_method: choice "histo": tree_method must be one of auto, exact, approx, hist, gpu_hist, got "histo"',
      'space.grow_policy: grow_policy takes one of depthwise, lossguide, not an int range; use a categorical or bool parameter',
      'space.gamma: gamma is not a true/false parameter (it is float)',
    ])
  })

  it('rejects the same parameter twice through an alias, or tuned and fixed at once', () => {
    const errors = errorsOf(
      study(
        {
          eta: { type: 'float', low: 0.01, high: 0.3 },
          max_depth: { type: 'int', low: 1, high: 5 },
        },
        { learning_rate: 0.1, max_depth: 3 },
      ),
    )
    expect(errors.map((e) => [e.path, e.rule])).toEqual([
      ['space.eta', 'duplicate-param'],
      ['space.max_depth', 'duplicate-param'],
    ])
    expect(errors[0].message).toContain(
      'same XGBoost parameter as objective.fixed.learning_rate (eta)',
    )
  })

  it('leaves other objective kinds alone', () => {
    const r = parseStudySpec({
      name: 'c',
      direction: 'minimize',
      objective: { kind: 'command', run: ['true'] },
      space: { max_dept: { type: 'int', low: 1, high: 2 } },
    })
    expect(r.ok).toBe(true)
    if (r.ok) expect(checkGbdtSpec(r.value)).toEqual([])
  })

  it('spells values as XGBoost reads them', () => {
    expect([
      xgbParamString(true),
      xgbParamString(false),
      xgbParamString(0.1),
      xgbParamString('hist'),
    ]).toEqual(['true', 'false', '0.1', 'hist'])
    expect(suggestXgbName('Learning-Rate')).toBe('learning_rate')
    expect(suggestXgbName('colsample_by_tree')).toBe('colsample_bytree')
    expect(xgbValueProblem('n_estimators', 0)).toBe('n_estimators must be in [1, 100000], got 0')
  })
})
