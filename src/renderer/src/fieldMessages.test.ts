import { describe, expect, it } from 'vitest'
import { specError } from '../../shared/specError.ts'
import { fieldMessage, fieldMessages } from './fieldMessages.ts'

describe('fieldMessage', () => {
  it('names the field in words instead of the path', () => {
    const e = specError('name', 'invalid_format', 'a b', 'names use letters, got "a b"')
    expect(fieldMessage(e, 'name', 'Study name')).toBe('Study name: names use letters, got "a b"')
    const sub = specError(
      'tuner.nStartupTrials',
      'invalid_type',
      'abc',
      'must be a number, got "abc"',
    )
    expect(fieldMessage(sub, 'tuner', 'Tuner options')).toBe(
      'nStartupTrials must be a number, got "abc"',
    )
  })

  it('keeps only the errors of that field, each once', () => {
    const errors = [
      specError('budget.trials', 'min', 0, 'must be >= 1, got 0'),
      specError('budget.trials', 'min', 0, 'must be >= 1, got 0'),
      specError('budgetary', 'x', 1, 'not this one'),
    ]
    expect(fieldMessages(errors, 'budget.trials', 'Trials')).toEqual([
      'Trials: must be >= 1, got 0',
    ])
  })
})
