// The product stands on its own: nothing it ships, tests or documents reads or names a file outside the
// repository (the team's ../shared folder above all). Every relative path is resolved from the file that
// writes it; one that leaves the repository, or names a `shared` folder that is not here, is flagged.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.ts'

/** The team's folder, spelled once so that this file does not itself name its subfolders. */
const TEAM = 'shared'

/** What a user gets and reads (bench/ may read ../shared for development data, saying so). */
const CHECKED = ['src', 'test', 'docs', 'examples', 'resources', 'scripts', 'README.md']
const TEXT = /\.(ts|mts|mjs|cjs|js|vue|json|md|ya?ml|html|css|py|sh|txt)$/
const SKIP_DIRS = new Set(['node_modules', 'screenshots'])

function textFiles(entry: string): string[] {
  const full = path.join(ROOT, entry)
  if (!existsSync(full)) return []
  if (statSync(full).isFile()) return TEXT.test(entry) ? [entry] : []
  return readdirSync(full).flatMap((name) =>
    SKIP_DIRS.has(name) ? [] : textFiles(path.join(entry, name)),
  )
}

/** The team's folders by name, in prose or code: its datasets, spec, benchmarks, notes, hooks and style guide. */
const TEAM_FOLDERS =
  /(?<![\w/])(?:\.\.\/)*shared\/(datasets|spec|benchmarks|notes|hooks|style\.md)\b/g
/** A relative path: ./x or ../x, in quotes, backticks, a Markdown link or plain prose. */
const RELATIVE = /(?<![\w.])\.{1,2}\/[\w.@+\-/]*/g
/** A Markdown file named in prose or code: it must be one the repository has. */
const MARKDOWN = /(?<![\w.-])[\w.-]+\.md\b/g
/** `path.join(X, '..', 'shared')`: the same escape written segment by segment. */
const SEGMENTS = /['"]\.\.['"]\s*,\s*['"]shared['"]/g

/** `../shared/x.ts` written for another file (a lint test's snippet) still names src/shared/x.ts. */
function inSrcShared(root: string, relative: string): boolean {
  const rest = relative.slice(relative.lastIndexOf('shared/') + 'shared/'.length)
  return rest !== '' && existsSync(path.join(root, 'src/shared', rest))
}

interface Finding {
  file: string
  line: number
  text: string
  why: string
}

/** Every place in `text` (the content of `file`, relative to `root`) that points outside the repository. */
function findEscapes(
  root: string,
  file: string,
  text: string,
  markdownFiles: ReadonlySet<string>,
): Finding[] {
  const findings: Finding[] = []
  const dir = path.dirname(path.join(root, file))
  text.split('\n').forEach((lineText, i) => {
    const seen = new Set<number>()
    const add = (m: RegExpMatchArray, why: string) => {
      if (seen.has(m.index!)) return
      seen.add(m.index!)
      findings.push({ file, line: i + 1, text: m[0], why })
    }
    for (const m of lineText.matchAll(RELATIVE)) {
      const target = path.resolve(dir, m[0])
      const inside = target === root || target.startsWith(root + path.sep)
      if (!inside) add(m, `resolves outside the repository, to ${target}`)
      else if (/(^|\/)shared(\/|$)/.test(m[0]) && !existsSync(target) && !inSrcShared(root, m[0]))
        add(m, `names a shared folder that is not in the repository (${target})`)
    }
    for (const m of lineText.matchAll(TEAM_FOLDERS)) add(m, "names the team's shared folder")
    for (const m of lineText.matchAll(SEGMENTS)) add(m, 'builds a path to ../shared')
    for (const m of lineText.matchAll(MARKDOWN))
      if (!markdownFiles.has(path.basename(m[0])))
        add(m, 'names a Markdown file the repository does not have')
  })
  return findings
}

describe('the repository stands alone', () => {
  it('flags what leaves the repository and passes what stays inside', () => {
    const root = ROOT
    const markdown = new Set(['README.md', 'study-file.md'])
    const at = (file: string, text: string) =>
      findEscapes(root, file, text, markdown).map((f) => f.text)
    // src/shared seen from the renderer and from main: inside, and it exists.
    expect(at('src/renderer/src/components/X.vue', "from '../../../shared/studioApi.ts'")).toEqual(
      [],
    )
    expect(at('src/main/cli/x.ts', "import '../../shared/study.ts'")).toEqual([])
    // A snippet written for src/main/x.ts, quoted in a test elsewhere: still src/shared.
    expect(at('test/lint/x.test.ts', "'import { a } from \\'../shared/studySpec.ts\\''")).toEqual(
      [],
    )
    // The team's folder, however it is reached.
    expect(at('src/worker/data/x.test.ts', `'../../../../${TEAM}/datasets'`)).toEqual([
      `../../../../${TEAM}/datasets`,
    ])
    expect(
      at('test/integration/x.test.ts', `path.join(ROOT, '../${TEAM}/datasets/iris.csv')`),
    ).toEqual([`../${TEAM}/datasets/iris.csv`])
    expect(at('README.md', 'The format is `../' + TEAM + '/spec/study-file.md`.')).toHaveLength(1)
    expect(at('docs/x.md', `see ${TEAM}/notes/x.txt`)).toEqual([`${TEAM}/notes`])
    expect(at('test/x.ts', "path.join(ROOT, '..', 'shared')")).toEqual(["'..', 'shared'"])
    expect(at('docs/x.md', 'one level up: ../../elsewhere/file.txt')).toEqual([
      '../../elsewhere/file.txt',
    ])
    // A Markdown file is named by its name alone: it must be one of the repository's.
    expect(at('src/x.ts', '// the rules of study-file.md; see measured-facts.md')).toEqual([
      'measured-facts.md',
    ])
  })

  it('nothing under src, test, docs, examples, resources, scripts or README.md points outside it', () => {
    const files = CHECKED.flatMap(textFiles)
    const markdown = new Set(
      [...files, ...textFiles('bench')]
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.basename(f)),
    )
    expect(files.length).toBeGreaterThan(100)
    const self = path.relative(ROOT, import.meta.filename)
    const findings = files
      .filter((f) => f !== self)
      .flatMap((f) => findEscapes(ROOT, f, readFileSync(path.join(ROOT, f), 'utf8'), markdown))
      .map((f) => `${f.file}:${f.line}: ${f.text} (${f.why})`)
    expect(findings).toEqual([])
  })
})
