#!/usr/bin/env node
// `npm start`: the desktop app from this checkout. Installs the Electron binary when it is missing,
// builds better-sqlite3 for Electron's ABI into out/native (a copy: node_modules keeps the Node build
// that the CLI and the tests load), builds main, preload, worker and renderer with electron-vite, and
// launches Electron. `--no-launch` stops after the build (`npm run dist` uses it).
// See docs/DEVELOPERS.md, "Electron and native modules".
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const launch = !args.includes('--no-launch')
const electronArgs = args.filter((a) => a !== '--no-launch')
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'))

function run(command, argv, options = {}) {
  const r = spawnSync(command, argv, { stdio: 'inherit', ...options })
  return r.status === 0
}
function fail(message) {
  console.error(`\nnpm start: ${message}`)
  process.exit(1)
}

// 1. The Electron binary (its install script is not run by `npm install` here: allowScripts).
const electronDir = path.join(root, 'node_modules', 'electron')
const electronVersion = readJson(path.join(electronDir, 'package.json')).version
const hasBinary = () =>
  fs.existsSync(path.join(electronDir, 'path.txt')) &&
  fs.existsSync(
    path.join(
      electronDir,
      'dist',
      fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim(),
    ),
  )
if (!hasBinary()) {
  console.log(
    `Electron ${electronVersion} is not installed: downloading it (node node_modules/electron/install.js)`,
  )
  if (
    !run(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir }) ||
    !hasBinary()
  )
    fail(
      'could not download the Electron binary (it comes from GitHub releases; set ELECTRON_MIRROR to use a mirror)',
    )
}

// 2. better-sqlite3 built for Electron, in out/native; rebuilt when Electron or better-sqlite3 changes.
const sqliteDir = path.join(root, 'node_modules', 'better-sqlite3')
const nativeDir = path.join(root, 'out', 'native')
const binding = path.join(nativeDir, 'better_sqlite3.node')
const stampFile = path.join(nativeDir, 'better_sqlite3.json')
const want = {
  electron: electronVersion,
  betterSqlite3: readJson(path.join(sqliteDir, 'package.json')).version,
  platform: process.platform,
  arch: process.arch,
}
const stamp = fs.existsSync(stampFile) ? readJson(stampFile) : null

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath &&
      path.resolve(
        path.dirname(process.env.npm_execpath),
        '..',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      ),
    path.resolve(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]
  return candidates.find((c) => c && fs.existsSync(c))
}

if (!fs.existsSync(binding) || JSON.stringify(stamp) !== JSON.stringify(want)) {
  console.log(
    `Building better-sqlite3 ${want.betterSqlite3} for Electron ${electronVersion} into out/native`,
  )
  const work = path.join(nativeDir, 'better-sqlite3')
  fs.rmSync(work, { recursive: true, force: true })
  fs.mkdirSync(nativeDir, { recursive: true })
  fs.cpSync(sqliteDir, work, {
    recursive: true,
    filter: (src) => !src.startsWith(path.join(sqliteDir, 'build')),
  })
  // npm sets npm_config_nodedir (this project's .npmrc points it at Node's headers): Electron needs its own.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^npm_config_(nodedir|target|runtime|disturl)$/i.test(k),
    ),
  )
  const prebuilt = run(
    process.execPath,
    [
      path.join(root, 'node_modules', 'prebuild-install', 'bin.js'),
      '--runtime',
      'electron',
      '--target',
      electronVersion,
      '--arch',
      process.arch,
    ],
    { cwd: work, env },
  )
  if (!prebuilt) {
    const gyp = nodeGyp()
    if (!gyp)
      fail(
        'no prebuilt better-sqlite3 for this Electron, and node-gyp was not found to compile one',
      )
    console.log('No prebuilt binary: compiling against Electron headers with node-gyp')
    const built = run(
      process.execPath,
      [
        gyp,
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: work, env },
    )
    if (!built)
      fail('compiling better-sqlite3 for Electron failed (a C++ toolchain and python3 are needed)')
  }
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), binding)
  fs.writeFileSync(stampFile, JSON.stringify(want) + '\n')
  fs.rmSync(work, { recursive: true, force: true })
}

// 3. Build (main + worker, preload, renderer).
if (
  !run(
    process.execPath,
    [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    { cwd: root },
  )
)
  fail('electron-vite build failed')

// 4. Launch.
if (launch) {
  const electron = createRequire(path.join(root, 'package.json'))('electron')
  const child = spawn(electron, [root, ...electronArgs], { stdio: 'inherit', cwd: root })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
