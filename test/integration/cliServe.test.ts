// `hpo-studio serve` refuses a port it cannot use with exit 2 and one line, not a stack trace and a hang.
import { createServer } from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempDir } from '../helpers/cli.ts'
import { runMain, STACK_FRAME } from '../helpers/inProcessCli.ts'

describe('hpo-studio serve --port', () => {
  it.each([
    ['abc', 'serve --port: expected a port number 0-65535 (0 picks a free one), got "abc"'],
    ['-1', 'serve --port: expected a port number 0-65535 (0 picks a free one), got "-1"'],
    ['99999', 'serve --port: expected a port number 0-65535 (0 picks a free one), got "99999"'],
  ])('refuses %s', async (port, message) => {
    const r = await runMain(['serve', '--port', port, '--db', path.join(tempDir(), 'db.sqlite')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.stderr).not.toMatch(STACK_FRAME)
  })

  // the real command: it used to print a stack trace and never exit
  it('says a port is in use and exits', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    try {
      const r = await runCli([
        'serve',
        '--port',
        String(port),
        '--db',
        path.join(tempDir(), 'db.sqlite'),
      ])
      expect(r.code).toBe(2)
      expect(r.stderr.trim()).toBe(
        `cannot listen on 127.0.0.1:${port}: the port is in use (pick another with --port, or 0 for a free one)`,
      )
    } finally {
      taken.close()
    }
  }, 60_000)
})
