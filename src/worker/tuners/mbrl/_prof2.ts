import * as tf from '@tensorflow/tfjs'
import { useCpuBackend } from './tfCpu.ts'
await useCpuBackend()
const time = (name: string, f: () => void) => {
  for (let i = 0; i < 20; i++) f()
  const t0 = process.cpuUsage().user
  for (let i = 0; i < 100; i++) f()
  console.log(name, ((process.cpuUsage().user - t0) / 100 / 1000).toFixed(3), 'ms')
}
for (const [m, k, n] of [[25, 64, 64], [1, 70, 140], [100, 64, 64], [600, 64, 64], [25, 2, 64], [64, 25, 64]]) {
  const a = tf.ones([m, k]), b = tf.ones([k, n])
  time(`matmul ${m}x${k}x${n}`, () => tf.tidy(() => void tf.matMul(a, b).dataSync()))
}
const a = tf.ones([25, 64])
time('add 25x64', () => tf.tidy(() => void tf.add(a, a).dataSync()))
time('ones 25x64', () => tf.tidy(() => void tf.ones([25,64]).dataSync()))
