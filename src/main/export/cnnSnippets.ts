// Runs in main: a best cnn configuration as a TensorFlow.js model definition and the matching Keras code.
// The layers are those of the trial workers' cnnModel.ts: ReLU convolutions and dense layers, 'same'
// padding for convolutions and pools, Adam for the paper CNN and plain SGD for softmax regression.
import { resolveCnnParams, type PaperCnnParams } from '../../shared/cnnParams.ts'
import type { StudyRecord } from '../../shared/study.ts'
import { jsLiteral, pyLiteral } from './codeLiterals.ts'
import { snippetHeader, type SnippetOptions, type SnippetTrial } from './snippetTypes.ts'

interface CnnSetup {
  model: 'paper-cnn' | 'softmax'
  values: Record<string, string | number | boolean> & { epochs: number }
  inputShape: [number, number, number]
  numClasses: number
}

function setup(study: StudyRecord, trial: SnippetTrial, options: SnippetOptions): CnnSetup {
  const objective = study.spec.objective
  if (objective.kind !== 'cnn')
    throw new Error(`a model snippet needs a cnn study, got ${objective.kind}`)
  return {
    model: objective.model,
    values: resolveCnnParams(objective.model, objective.epochs, objective.fixed, trial.params),
    inputShape: options.inputShape ?? [28, 28, 1],
    numClasses: options.numClasses ?? 10,
  }
}

const js = (v: string | number | boolean): string => jsLiteral(v)
const py = (v: string | number | boolean): string => pyLiteral(v)

/** TensorFlow.js: `createModel()` compiled with the trial's optimizer, and the fit options. */
export function tfjsModelSnippet(
  study: StudyRecord,
  trial: SnippetTrial,
  options: SnippetOptions = {},
): string {
  const { model, values: v, inputShape, numClasses } = setup(study, trial, options)
  const shape = `[${inputShape.join(', ')}]`
  const layers: string[] = []
  let optimizer: string
  if (model === 'softmax') {
    layers.push(`tf.layers.flatten({ inputShape: ${shape} })`)
    optimizer = `tf.train.sgd(${js(v.learning_rate)})`
  } else {
    const p = v as unknown as PaperCnnParams
    for (const i of [1, 2] as const) {
      const input = i === 1 ? `inputShape: ${shape}, ` : ''
      layers.push(
        `tf.layers.conv2d({ ${input}filters: ${js(p[`conv${i}_channels`])}, kernelSize: ${js(p[`conv${i}_kernel`])}, strides: ${js(p[`conv${i}_stride`])}, padding: 'same', activation: 'relu' })`,
        `tf.layers.${p[`pool${i}_type`] === 'max' ? 'maxPooling2d' : 'averagePooling2d'}({ poolSize: ${js(p[`pool${i}_kernel`])}, strides: ${js(p[`pool${i}_stride`])}, padding: 'same' })`,
      )
    }
    layers.push(
      'tf.layers.flatten()',
      `tf.layers.dense({ units: ${js(p.fc1_units)}, activation: 'relu' })`,
      `tf.layers.dense({ units: ${js(p.fc2_units)}, activation: 'relu' })`,
    )
    optimizer = `tf.train.adam(${js(p.learning_rate)})`
  }
  layers.push(`tf.layers.dense({ units: ${numClasses}, activation: 'softmax' })`)
  return [
    ...snippetHeader('//', study, trial),
    "import * as tf from '@tensorflow/tfjs'",
    '',
    'export function createModel() {',
    '  const model = tf.sequential()',
    ...layers.map((l) => `  model.add(${l})`),
    '  model.compile({',
    `    optimizer: ${optimizer},`,
    "    loss: 'categoricalCrossentropy',",
    "    metrics: ['accuracy'],",
    '  })',
    '  return model',
    '}',
    '',
    `// xs: [n, ${inputShape.join(', ')}] pixels scaled to [0, 1]; ys: one-hot [n, ${numClasses}]`,
    `export const fitOptions = { batchSize: ${js(v.batch_size)}, epochs: ${js(v.epochs)}, shuffle: true }`,
    '// await createModel().fit(xs, ys, { ...fitOptions, validationData: [xsValid, ysValid] })',
    '',
  ].join('\n')
}

/** Keras (TensorFlow 2): the same layers, optimizer, batch size and epochs. */
export function kerasModelSnippet(
  study: StudyRecord,
  trial: SnippetTrial,
  options: SnippetOptions = {},
): string {
  const { model, values: v, inputShape, numClasses } = setup(study, trial, options)
  const layers: string[] = [`keras.Input(shape=(${inputShape.join(', ')}))`]
  let optimizer: string
  if (model === 'softmax') {
    layers.push('layers.Flatten()')
    optimizer = `keras.optimizers.SGD(learning_rate=${py(v.learning_rate)})`
  } else {
    const p = v as unknown as PaperCnnParams
    for (const i of [1, 2] as const) {
      layers.push(
        `layers.Conv2D(${py(p[`conv${i}_channels`])}, kernel_size=${py(p[`conv${i}_kernel`])}, strides=${py(p[`conv${i}_stride`])}, padding="same", activation="relu")`,
        `layers.${p[`pool${i}_type`] === 'max' ? 'MaxPooling2D' : 'AveragePooling2D'}(pool_size=${py(p[`pool${i}_kernel`])}, strides=${py(p[`pool${i}_stride`])}, padding="same")`,
      )
    }
    layers.push(
      'layers.Flatten()',
      `layers.Dense(${py(p.fc1_units)}, activation="relu")`,
      `layers.Dense(${py(p.fc2_units)}, activation="relu")`,
    )
    optimizer = `keras.optimizers.Adam(learning_rate=${py(p.learning_rate)})`
  }
  layers.push(`layers.Dense(${numClasses}, activation="softmax")`)
  return [
    ...snippetHeader('#', study, trial),
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    'model = keras.Sequential(',
    '    [',
    ...layers.map((l) => `        ${l},`),
    '    ]',
    ')',
    'model.compile(',
    `    optimizer=${optimizer},`,
    '    loss="categorical_crossentropy",',
    '    metrics=["accuracy"],',
    ')',
    '',
    `# x_train: (n, ${inputShape.join(', ')}) pixels scaled to [0, 1]; y_train: one-hot (n, ${numClasses})`,
    `# model.fit(x_train, y_train, batch_size=${py(v.batch_size)}, epochs=${py(v.epochs)}, validation_data=(x_valid, y_valid))`,
    '',
  ].join('\n')
}
