// `npm run bench -- trainers-cnn` (HPO_BENCH_QUICK=1 for a short run, HPO_BENCH_REPEATS=N timed passes): CNN training images/s per TensorFlow.js backend
// present (with our kernels and as shipped) against PyTorch on the CPU with one thread, same networks, batch 64.
// Runs on the machine it is started on; the ratios compare figures measured in this same run.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import { createInterface } from 'node:readline'
import * as tf from '@tensorflow/tfjs'
import { PAPER_CNN_DEFAULTS, type PaperCnnParams } from '../src/shared/cnnParams.ts'
import { readIdxImages } from '../src/worker/data/readIdx.ts'
import { buildPaperCnn, type ImageShape } from '../src/worker/tf/cnn/cnnModel.ts'
import {
  registerFastKernels,
  restoreStockKernels,
} from '../src/worker/tf/kernels/registerFastKernels.ts'
import { selectBackend } from '../src/worker/tf/selectBackend.ts'
import { trainEpoch, type ImageSet } from '../src/worker/tf/cnn/trainClassifier.ts'
import { wasmConv2DBackpropFilterConfig } from '../src/worker/tf/kernels/wasmConv2DBackpropFilter.ts'
import { median, writeBenchResult } from './benchUtil.ts'

const BATCH = 64
const FASHION = '/usr/share/datasets/fashion-mnist'

interface Arch {
  name: string
  about: string
  params: PaperCnnParams
  /** 'valid' convolutions (classic LeNet, as in the measured-facts note); ours always use 'same'. */
  padding: 'same' | 'valid'
}

const ARCHS: Arch[] = [
  {
    name: 'lenet',
    about: "LeNet-5 as the cnn objective trains it by default ('same' padding)",
    params: { ...PAPER_CNN_DEFAULTS },
    padding: 'same',
  },
  {
    name: 'lenet-valid',
    about: "classic LeNet-5 ('valid' convolutions), the network of measured-facts.md",
    params: { ...PAPER_CNN_DEFAULTS },
    padding: 'valid',
  },
  {
    name: 'paper-mid',
    about:
      'a mid-sized point of the paper space: conv5×5×64 → pool → conv3×3×64 → pool → 512 → 128',
    params: {
      ...PAPER_CNN_DEFAULTS,
      conv1_channels: 64,
      conv2_kernel: 3,
      conv2_channels: 64,
      fc1_units: 512,
      fc2_units: 128,
    },
    padding: 'same',
  },
]

/** LeNet with 'valid' convolutions: the builder of the objective only makes 'same' ones. */
function buildValidLenet(p: PaperCnnParams, input: ImageShape, seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s })
  const m = tf.sequential()
  m.add(
    tf.layers.conv2d({
      inputShape: input,
      filters: p.conv1_channels,
      kernelSize: p.conv1_kernel,
      activation: 'relu',
      kernelInitializer: init(seed),
    }),
  )
  m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }))
  m.add(
    tf.layers.conv2d({
      filters: p.conv2_channels,
      kernelSize: p.conv2_kernel,
      activation: 'relu',
      kernelInitializer: init(seed + 1),
    }),
  )
  m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }))
  m.add(tf.layers.flatten())
  m.add(
    tf.layers.dense({ units: p.fc1_units, activation: 'relu', kernelInitializer: init(seed + 2) }),
  )
  m.add(
    tf.layers.dense({ units: p.fc2_units, activation: 'relu', kernelInitializer: init(seed + 3) }),
  )
  m.add(tf.layers.dense({ units: 10, kernelInitializer: init(seed + 4) }))
  return m
}

async function loadImages(count: number): Promise<{ set: ImageSet; source: string }> {
  const files = {
    images: `${FASHION}/train-images-idx3-ubyte.gz`,
    labels: `${FASHION}/train-labels-idx1-ubyte.gz`,
  }
  if (existsSync(files.images) && existsSync(files.labels)) {
    const idx = await readIdxImages(files)
    const n = Math.min(count, idx.count)
    const x = new Float32Array(n * 784)
    for (let i = 0; i < x.length; i++) x[i] = idx.pixels[i] / 255
    return {
      set: { x, labels: idx.labels.slice(0, n), count: n, shape: [28, 28, 1], numClasses: 10 },
      source: `Fashion-MNIST (${FASHION}), first ${n} training images`,
    }
  }
  const x = Float32Array.from({ length: count * 784 }, (_, i) => ((i * 2654435761) % 997) / 997)
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10)
  return {
    set: { x, labels, count, shape: [28, 28, 1], numClasses: 10 },
    source: 'synthetic 28×28 images (Fashion-MNIST not installed)',
  }
}

interface Variant {
  name: string
  /** tfjs's backend name: wasm, cpu, or tensorflow (tfjs-node / tfjs-node-gpu, when installed). */
  backend: string
  kernels: 'ours' | 'dW only' | 'stock'
  /** Batches timed per repeat for LeNet; bigger networks get fewer. */
  batches: number
}

function setKernels(v: Variant): void {
  restoreStockKernels(v.backend)
  if (v.kernels === 'ours') registerFastKernels(v.backend)
  if (v.kernels === 'dW only') tf.registerKernel(wasmConv2DBackpropFilterConfig)
}

function clearDwOnly(v: Variant): void {
  if (v.kernels === 'dW only') tf.unregisterKernel('Conv2DBackpropFilter', 'wasm')
}

/** Something that trains a network pass after pass: one pass returns its training images/s. */
interface Trainer {
  pass(): Promise<number>
  close(): void
}

/** A tfjs model on `v`'s backend and kernels (set again before every pass, so passes can interleave). */
async function tfjsTrainer(
  v: Variant,
  arch: Arch,
  set: ImageSet,
  batches: number,
): Promise<Trainer> {
  await tf.setBackend(v.backend)
  const model =
    arch.padding === 'valid'
      ? buildValidLenet(arch.params, set.shape, 1)
      : buildPaperCnn(arch.params, set.shape, 10, 1)
  const optimizer = tf.train.adam(0.001)
  const part = { ...set, count: Math.min(set.count, batches * BATCH) }
  let epoch = 0
  const train = async (count: number) => {
    await tf.setBackend(v.backend)
    setKernels(v)
    try {
      const t0 = performance.now()
      await trainEpoch(
        { model, optimizer, train: { ...part, count }, batchSize: BATCH, seed: epoch },
        epoch++,
      )
      return count / ((performance.now() - t0) / 1000)
    } finally {
      clearDwOnly(v)
    }
  }
  try {
    await train(BATCH * Math.min(2, batches))
  } catch (e) {
    model.dispose()
    optimizer.dispose()
    throw e
  }
  return {
    pass: () => train(part.count),
    close() {
      model.dispose()
      optimizer.dispose()
    },
  }
}

const TORCH_SCRIPT = `
import json, sys, time
import torch, torch.nn as nn
torch.set_num_threads(1)
a = json.loads(sys.argv[1])
p, pad, batches = a['params'], a['padding'], a['batches']
def conv(cin, cout, k):
    return nn.Conv2d(cin, cout, k, padding='same' if pad == 'same' else 0)
def pool(kind):
    return nn.MaxPool2d(2, 2, ceil_mode=True) if kind == 'max' else nn.AvgPool2d(2, 2, ceil_mode=True)
layers = [conv(1, p['conv1_channels'], p['conv1_kernel']), nn.ReLU(), pool(p['pool1_type']),
          conv(p['conv1_channels'], p['conv2_channels'], p['conv2_kernel']), nn.ReLU(), pool(p['pool2_type']), nn.Flatten()]
with torch.no_grad():
    flat = nn.Sequential(*layers)(torch.zeros(1, 1, 28, 28)).shape[1]
m = nn.Sequential(*layers, nn.Linear(flat, p['fc1_units']), nn.ReLU(), nn.Linear(p['fc1_units'], p['fc2_units']), nn.ReLU(), nn.Linear(p['fc2_units'], 10))
opt = torch.optim.Adam(m.parameters(), 1e-3)
lossf = nn.CrossEntropyLoss()
n = batches * ${BATCH}
gen = torch.Generator().manual_seed(0)
X = torch.rand(n, 1, 28, 28, generator=gen)
Y = torch.randint(0, 10, (n,), generator=gen)
def epoch(count):
    perm = torch.randperm(count, generator=gen)
    for s in range(0, count, ${BATCH}):
        i = perm[s:s + ${BATCH}]
        opt.zero_grad(); loss = lossf(m(X[i]), Y[i]); loss.backward(); opt.step()
epoch(min(n, 2 * ${BATCH}))
print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    t = time.perf_counter(); epoch(n)
    print(json.dumps({'rate': n / (time.perf_counter() - t)}), flush=True)
`

/** PyTorch on the CPU with one thread (OpenBLAS told too: Debian's torch ignores set_num_threads there). */
async function torchTrainer(
  python: string,
  arch: Arch,
  batches: number,
): Promise<Trainer & { version: string; threads: number }> {
  const child = spawn(
    python,
    ['-c', TORCH_SCRIPT, JSON.stringify({ params: arch.params, padding: arch.padding, batches })],
    {
      env: {
        ...process.env,
        OPENBLAS_NUM_THREADS: '1',
        OMP_NUM_THREADS: '1',
        MKL_NUM_THREADS: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += String(d)))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => {
    const r = await lines.next()
    if (r.done) throw new Error(stderr.trim().split('\n').pop() || 'python exited')
    return JSON.parse(r.value) as Record<string, unknown>
  }
  const hello = await next()
  return {
    version: String(hello.torch),
    threads: Number(hello.threads),
    async pass() {
      child.stdin.write('pass\n')
      return Number((await next()).rate)
    },
    close() {
      child.stdin.end()
    },
  }
}

const summary = (rates: number[]) => ({
  imagesPerSecond: median(rates),
  best: Math.max(...rates),
  rates: rates.map((r) => Math.round(r)),
})

export default async function (args: string[] = []): Promise<void> {
  const quick = args.includes('--quick') || process.env.HPO_BENCH_QUICK === '1'
  const repeats = Number(process.env.HPO_BENCH_REPEATS) || (quick ? 2 : 5)
  const selection = await selectBackend()
  const { set, source } = await loadImages(quick ? 1280 : 6400)
  const python = process.env.HPO_PYTHON ?? '/usr/bin/python3'
  const variants: Variant[] = [
    ...(selection.tfName === 'tensorflow'
      ? [
          {
            name: selection.backend,
            backend: 'tensorflow',
            kernels: 'stock' as const,
            batches: 100,
          },
        ]
      : []),
    { name: 'wasm + our kernels', backend: 'wasm', kernels: 'ours', batches: quick ? 20 : 60 },
    {
      name: 'wasm + our Conv2DBackpropFilter only',
      backend: 'wasm',
      kernels: 'dW only',
      batches: quick ? 10 : 30,
    },
    { name: 'wasm as shipped', backend: 'wasm', kernels: 'stock', batches: 2 },
    { name: 'cpu + our kernels', backend: 'cpu', kernels: 'ours', batches: quick ? 4 : 8 },
    { name: 'cpu as shipped', backend: 'cpu', kernels: 'stock', batches: 1 },
  ]
  const headline = variants[0]
  console.log(`data: ${source}; batch ${BATCH}; ${repeats} timed passes each (median, best)`)
  console.log(`worker backend choice here: ${selection.label}`)
  console.log(`PyTorch and "${headline.name}" take turns pass by pass, so both see the same load.`)
  const results: Record<string, unknown>[] = []
  const line = (
    name: string,
    rate: number,
    best: number,
    torch: { rate: number; best: number } | null,
  ) =>
    console.log(
      `  ${name.padEnd(40)} ${rate.toFixed(0).padStart(7)} img/s (best ${best.toFixed(0)})` +
        (torch
          ? `  = ${(rate / torch.rate).toFixed(3)}× PyTorch (best/best ${(best / torch.best).toFixed(3)})`
          : ''),
    )
  for (const arch of ARCHS) {
    const scale = arch.name === 'paper-mid' ? 0.25 : 1
    console.log(`\n${arch.name}: ${arch.about}`)
    let torch: { rate: number; best: number } | null = null
    const torchBatches = Math.max(4, Math.round((quick ? 20 : 60) * scale))
    const pair: { name: string; trainer: Trainer; rates: number[] }[] = []
    try {
      if (!existsSync(python)) throw new Error(`${python} not found`)
      const t = await torchTrainer(python, arch, torchBatches)
      pair.push({ name: `PyTorch ${t.version} CPU, ${t.threads} thread`, trainer: t, rates: [] })
    } catch (e) {
      console.log(`  PyTorch not measured: ${(e as Error).message}`)
      results.push({
        arch: arch.name,
        variant: 'pytorch-cpu-1-thread',
        error: (e as Error).message,
      })
    }
    const batchesOf = (v: Variant) => Math.max(1, Math.round(v.batches * scale))
    pair.push({
      name: headline.name,
      trainer: await tfjsTrainer(headline, arch, set, batchesOf(headline)),
      rates: [],
    })
    for (let r = 0; r < repeats; r++) for (const p of pair) p.rates.push(await p.trainer.pass())
    for (const p of pair) p.trainer.close()
    if (pair.length === 2) {
      const s = summary(pair[0].rates)
      torch = { rate: s.imagesPerSecond, best: s.best }
      line(pair[0].name, s.imagesPerSecond, s.best, null)
      results.push({ arch: arch.name, variant: 'pytorch-cpu-1-thread', name: pair[0].name, ...s })
    }
    const h = summary(pair[pair.length - 1].rates)
    line(headline.name, h.imagesPerSecond, h.best, torch)
    results.push({
      arch: arch.name,
      variant: headline.name,
      ...h,
      ratioToPytorch: torch ? h.imagesPerSecond / torch.rate : null,
      bestRatioToPytorch: torch ? h.best / torch.best : null,
    })
    for (const v of variants.slice(1)) {
      if (arch.padding === 'valid' && v.kernels === 'dW only') continue
      // The cpu backend as shipped needs minutes per batch of the bigger network: LeNet shows the point.
      if (scale < 1 && v.backend === 'cpu' && v.kernels === 'stock') continue
      const reps = v.kernels === 'stock' ? 1 : v.backend === 'cpu' ? Math.min(2, repeats) : repeats
      try {
        const t = await tfjsTrainer(v, arch, set, batchesOf(v))
        const rates: number[] = []
        try {
          for (let r = 0; r < reps; r++) rates.push(await t.pass())
        } finally {
          t.close()
        }
        const s = summary(rates)
        line(v.name, s.imagesPerSecond, s.best, torch)
        results.push({
          arch: arch.name,
          variant: v.name,
          ...s,
          ratioToPytorch: torch ? s.imagesPerSecond / torch.rate : null,
        })
      } catch (e) {
        const message = (e as Error).message.split('\n')[0]
        console.log(`  ${v.name.padEnd(40)} fails: ${message}`)
        results.push({ arch: arch.name, variant: v.name, error: message })
      }
    }
  }
  restoreStockKernels('wasm')
  restoreStockKernels('cpu')
  registerFastKernels(selection.tfName)
  await tf.setBackend(selection.tfName)
  const file = writeBenchResult('trainers-cnn', {
    batch: BATCH,
    data: source,
    repeats,
    loadAverage: os.loadavg(),
    goal: 'LeNet on wasm ≥ 2,000 images/s; within 2× of PyTorch CPU with one thread',
    tfjs: tf.version.tfjs,
    results,
  })
  console.log(`\nwrote ${file}`)
}
