// Runs in main (CLI and app): ready-to-paste snippets of a trial's configuration for where it will be used.
import type { StudyRecord } from '../../shared/study.ts'
import { shellQuote } from './codeLiterals.ts'
import { kerasModelSnippet, tfjsModelSnippet } from './cnnSnippets.ts'
import { xgboostPythonSnippet } from './gbdtSnippet.ts'
import {
  snippetHeader,
  type Snippet,
  type SnippetOptions,
  type SnippetTrial,
} from './snippetTypes.ts'

export type { Snippet, SnippetId, SnippetOptions, SnippetTrial } from './snippetTypes.ts'
export { kerasModelSnippet, tfjsModelSnippet } from './cnnSnippets.ts'
export { xgboostPythonSnippet } from './gbdtSnippet.ts'

/** The configuration exactly as a command receives it: the active parameters, name → value. */
export function configJsonSnippet(trial: SnippetTrial): string {
  return JSON.stringify(trial.params, null, 2) + '\n'
}

const HEREDOC = 'HPO_CONFIG_JSON'

/**
 * A POSIX shell script that runs the study's command once with the trial's configuration, as the
 * runner does: JSON on standard input and in the file named by $HPO_CONFIG, a folder in $HPO_TRIAL_DIR,
 * the objective's env and cwd (relative paths are relative to the study file's folder).
 */
export function commandLineSnippet(study: StudyRecord, trial: SnippetTrial): string {
  const objective = study.spec.objective
  if (objective.kind !== 'command')
    throw new Error(`a command line needs a command study, got ${objective.kind}`)
  const env = Object.entries(objective.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`)
  const run = [
    'HPO_CONFIG="$config"',
    'HPO_TRIAL_DIR="$trial_dir"',
    ...env,
    ...objective.run.map(shellQuote),
    '< "$config"',
  ].join(' ')
  return [
    '#!/bin/sh',
    ...snippetHeader('#', study, trial),
    '# Run from the folder of the study file.',
    'config="$PWD/hpo-config.json"',
    `trial_dir="$PWD/hpo-trial-${trial.number}"`,
    'mkdir -p "$trial_dir"',
    `cat > "$config" <<'${HEREDOC}'`,
    JSON.stringify(trial.params, null, 2),
    HEREDOC,
    objective.cwd ? `(cd ${shellQuote(objective.cwd)} && ${run})` : run,
    '',
  ].join('\n')
}

/** Every snippet that fits the study's objective kind, the plain JSON configuration last. */
export function buildSnippets(
  study: StudyRecord,
  trial: SnippetTrial,
  options: SnippetOptions = {},
): Snippet[] {
  const out: Snippet[] = []
  const objective = study.spec.objective
  if (objective.kind === 'gbdt') {
    out.push({
      id: 'xgboost-python',
      title: 'Python: xgboost.train',
      language: 'python',
      code: xgboostPythonSnippet(study, trial, options),
    })
  } else if (objective.kind === 'cnn') {
    out.push(
      {
        id: 'tfjs-model',
        title: 'TensorFlow.js model',
        language: 'javascript',
        code: tfjsModelSnippet(study, trial, options),
      },
      {
        id: 'keras-model',
        title: 'Keras model',
        language: 'python',
        code: kerasModelSnippet(study, trial, options),
      },
    )
  } else if (objective.kind === 'command') {
    out.push({
      id: 'command-line',
      title: 'Command line',
      language: 'shell',
      code: commandLineSnippet(study, trial),
    })
  }
  out.push({
    id: 'config-json',
    title: 'Configuration (JSON)',
    language: 'json',
    code: configJsonSnippet(trial),
  })
  return out
}
