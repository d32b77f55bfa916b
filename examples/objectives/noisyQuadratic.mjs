#!/usr/bin/env node
// An example `command` objective: reads its config as JSON on stdin, "trains" for a few steps printing
// intermediate values as JSON lines, then prints the final value. Any program can do the same.
let text = ''
for await (const chunk of process.stdin) text += chunk
const { x, lr, layers } = JSON.parse(text)
const target = (x - 1.5) ** 2 + (Math.log10(lr) + 2) ** 2 + 0.1 * layers
let loss = 10
for (let step = 1; step <= 10; step++) {
  loss = target + (10 - target) * Math.exp(-step * 0.5)
  console.log(JSON.stringify({ step, value: loss }))
  await new Promise((r) => setTimeout(r, 20))
}
console.log('training done') // any other line is kept as a log line
console.log(JSON.stringify({ value: loss, layers_used: layers }))
