// Runs in main (`hpo-studio serve`). Who may talk to the local server: a browser on this machine (or an
// ssh -L tunnel) that opened the token URL. DNS rebinding is stopped by the Host check, cross-site
// requests by the Origin check and the SameSite=Strict cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const ALLOWED_HOSTNAMES = new Set(['127.0.0.1', 'localhost'])

/** Sent with every response; the renderer's index.html carries the same policy in a meta tag. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/** The hostname of a Host header ("127.0.0.1:8080", "[::1]:80", "localhost"), lower-cased. */
export function hostnameOf(host: string | undefined): string | null {
  if (!host) return null
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim())
  return m ? m[1].toLowerCase() : null
}

export type Refusal = { status: 403 | 401; reason: string }

/** Host must be 127.0.0.1 or localhost (any port); an Origin, when sent, must be this same origin. */
export function checkHostAndOrigin(req: IncomingMessage): Refusal | null {
  const host = req.headers.host
  const hostname = hostnameOf(host)
  if (!hostname || !ALLOWED_HOSTNAMES.has(hostname))
    return {
      status: 403,
      reason: `Host ${JSON.stringify(host ?? '')} is not 127.0.0.1 or localhost`,
    }
  const origin = req.headers.origin
  if (origin !== undefined) {
    let url: URL | null
    try {
      url = new URL(origin)
    } catch {
      url = null
    }
    if (!url || url.protocol !== 'http:' || url.host !== host?.toLowerCase())
      return { status: 403, reason: `Origin ${JSON.stringify(origin)} is not this server` }
  }
  if (req.headers['sec-fetch-site'] === 'cross-site')
    return { status: 403, reason: 'cross-site request' }
  return null
}

export interface SessionGate {
  readonly token: string
  readonly cookieName: string
  /** The Set-Cookie value to send when `token` matches, else null. */
  exchange(token: string | null): string | null
  isAuthorized(req: IncomingMessage): boolean
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
  }
  return null
}

/**
 * The URL token is exchanged once per browser for a session cookie (a different secret, so the token
 * in the terminal's scrollback and the cookie in the browser are not the same string). The cookie's
 * name carries the port: cookies ignore ports, and two `serve`s must not overwrite each other's.
 */
export function createSessionGate(port: number): SessionGate {
  const token = randomBytes(24).toString('base64url')
  const session = randomBytes(32).toString('base64url')
  const cookieName = `hpo_session_${port}`
  return {
    token,
    cookieName,
    exchange(given) {
      if (!given || !equal(given, token)) return null
      return `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`
    },
    isAuthorized(req) {
      const value = cookieValue(req.headers.cookie, cookieName)
      return value !== null && equal(value, session)
    },
  }
}
