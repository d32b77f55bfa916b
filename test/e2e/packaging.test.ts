// electron-builder.yml, checked without running electron-builder (it downloads Electron): valid against
// electron-builder's own schema, Linux targets, and every native file the app loads is unpacked from asar.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const config = YAML.parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  asar: boolean
  asarUnpack: string[]
  files: string[]
  extraResources: { from: string; to: string }[]
  npmRebuild: boolean
  linux: { target: string[] }
}
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string
  scripts: Record<string, string>
  dependencies: Record<string, string>
  optionalDependencies?: Record<string, string>
}

// Node 20.17+ has path.matchesGlob (experimental); electron-builder matches these the same way (minimatch).
const matches = (file: string, glob: string): boolean =>
  (path as unknown as { matchesGlob(p: string, g: string): boolean }).matchesGlob(file, glob)
const excluded = (file: string): boolean =>
  config.files.filter((g) => g.startsWith('!')).some((g) => matches(file, g.slice(1)))

/** Production packages: dependencies and optional ones, and theirs, as installed. */
function productionPackages(): string[] {
  const seen = new Set<string>()
  const visit = (name: string, from: string): void => {
    let dir: string
    try {
      dir = path.dirname(createRequire(from).resolve(`${name}/package.json`))
    } catch {
      const direct = path.join(root, 'node_modules', name)
      if (!existsSync(path.join(direct, 'package.json'))) return // optional and not installed
      dir = direct
    }
    if (seen.has(dir)) return
    seen.add(dir)
    const p = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >
    for (const dep of Object.keys({ ...p.dependencies, ...p.optionalDependencies }))
      visit(dep, path.join(dir, 'package.json'))
  }
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }))
    visit(dep, path.join(root, 'package.json'))
  return [...seen]
}

function nativeFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry)
    const stat = statSync(full)
    if (stat.isDirectory()) {
      if (entry !== 'node_modules') nativeFiles(full, out)
    } else if (/\.(node|wasm)$/.test(entry)) out.push(full)
  }
  return out
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder (its own schema check)', async () => {
    const require = createRequire(path.join(root, 'node_modules/app-builder-lib/package.json'))
    const { validateConfiguration } = require('./out/util/config/config.js') as {
      validateConfiguration(
        config: unknown,
        logger: { isEnabled: boolean; add(): void },
      ): Promise<void>
    }
    await expect(
      validateConfiguration(config, { isEnabled: false, add() {} }),
    ).resolves.toBeUndefined()
    await expect(
      validateConfiguration(
        { ...config, linux: { targett: ['deb'] } },
        { isEnabled: false, add() {} },
      ),
    ).rejects.toThrow(/configuration\.linux/)
  })

  it('builds AppImage and deb with `npm run dist`, without rebuilding node_modules in place', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.npmRebuild).toBe(false)
    expect(pkg.scripts.dist).toContain('electron-builder --config electron-builder.yml')
    expect(pkg.main).toBe('out/main/index.js')
    expect(config.extraResources).toContainEqual({
      from: 'out/native/better_sqlite3.node',
      to: 'native/better_sqlite3.node',
    })
  })

  it('unpacks every native file the app loads (better-sqlite3, koffi and its platform binary, tfjs wasm)', () => {
    const files = productionPackages()
      .flatMap((dir) => nativeFiles(dir))
      .map((f) => path.relative(root, f).split(path.sep).join('/'))
      .filter((f) => !excluded(f))
    const names = files.join('\n')
    expect(names).toMatch(/better-sqlite3\/build\/Release\/better_sqlite3\.node/)
    expect(names).toMatch(/@koromix\/koffi-linux-x64\/linux_x64\/koffi\.node/)
    expect(names).toMatch(/tfjs-backend-wasm\/dist\/tfjs-backend-wasm-simd\.wasm/)
    const packed = files.filter((f) => !config.asarUnpack.some((g) => matches(f, g)))
    expect(packed).toEqual([])
    expect(config.asar).toBe(true)
  })
})
