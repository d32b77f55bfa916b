// The layer rule as an allow-list, in the manner of VS Code's code-import-patterns: each process layer
// names the layers of src/ it may import from and the packages it may use; anything else is an error.
// Imports only go downward: shared ← main, worker, preload, renderer; main/electron ← main.
import path from 'node:path'

const MAIN_PACKAGES = [
  'node:*',
  'better-sqlite3',
  'ws',
  'yaml',
  'zod',
  'commander',
  'cli-progress',
  'csv-parse',
  'vite',
]

/** Most specific first: a file belongs to the first layer whose folder holds it. */
export const LAYERS = [
  { layer: 'shared', layers: ['shared'], packages: ['zod'] },
  {
    layer: 'main/electron',
    layers: ['shared', 'main', 'main/electron'],
    packages: [...MAIN_PACKAGES, 'electron'],
  },
  { layer: 'main', layers: ['shared', 'main'], packages: MAIN_PACKAGES },
  {
    layer: 'worker',
    layers: ['shared', 'worker'],
    packages: ['node:*', 'zod', 'csv-parse', 'koffi', '@tensorflow/*'],
  },
  { layer: 'preload', layers: ['shared', 'preload'], packages: ['electron'] },
  {
    layer: 'renderer',
    layers: ['shared', 'renderer'],
    packages: ['vue', 'chart.js', 'yaml', 'zod'],
  },
]

/** Unit tests beside the code may also use the test tools and test/helpers. */
const TEST_PACKAGES = ['vitest', 'fast-check', 'playwright-core', '@vue/*']
const isTestFile = (file) => /\.test\.ts$/.test(file)

function layerOf(file, srcDir) {
  const rel = path.relative(srcDir, file).split(path.sep).join('/')
  if (rel.startsWith('..')) return rel.startsWith('../test/') ? 'test' : null
  return LAYERS.find((l) => rel === l.layer || rel.startsWith(`${l.layer}/`))?.layer ?? null
}

function packageName(spec) {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

const allowedPackage = (name, list) =>
  list.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p))

/** @type {import('eslint').Rule.RuleModule} */
export const allowedImportsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'each process layer imports only what its allow-list names' },
    schema: [{ type: 'object', properties: { srcDir: { type: 'string' } }, required: ['srcDir'] }],
  },
  create(context) {
    const { srcDir } = context.options[0]
    const file = context.filename
    const own = LAYERS.find((l) => l.layer === layerOf(file, srcDir))
    if (!own) return {}
    const test = isTestFile(file)
    const check = (node, spec) => {
      if (typeof spec !== 'string') return
      if (spec.startsWith('.')) {
        const target = layerOf(path.resolve(path.dirname(file), spec), srcDir)
        if (own.layers.includes(target) || (test && target === 'test')) return
        context.report({
          node,
          message: `src/${own.layer} may import from ${own.layers.map((l) => `src/${l}`).join(', ')} only, not ${target ? `src/${target}` : spec}`,
        })
        return
      }
      const name = packageName(spec)
      if (allowedPackage(name, own.packages) || (test && allowedPackage(name, TEST_PACKAGES)))
        return
      context.report({
        node,
        message: `src/${own.layer} may not import "${name}" (allowed: ${own.packages.join(', ')}); see eslint/allowedImports.js`,
      })
    }
    const fromSource = (node) => node.source && check(node.source, node.source.value)
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    }
  },
}
