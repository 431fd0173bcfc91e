import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { caHash, formatToken, parseToken, writeNodeToken } from './node-token.ts'

const dir = mkdtempSync(join(tmpdir(), 'kubun-token-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('k3s secure form K10<sha256 of the CA>::server:<secret>, and bare secrets', () => {
  const t = formatToken('CA PEM', 'abc')
  expect(t).toBe(`K10${caHash('CA PEM')}::server:abc`)
  expect(parseToken(t)).toEqual({ caHash: caHash('CA PEM'), user: 'server', secret: 'abc' })
  expect(parseToken('plain')).toEqual({ user: 'server', secret: 'plain' })
})

test('the node-token is 0600, keeps its secret across restarts, and follows --token', async () => {
  const path = await writeNodeToken(dir, 'CA')
  expect(statSync(path).mode & 0o777).toBe(0o600)
  const first = readFileSync(path, 'utf8').trim()
  await writeNodeToken(dir, 'CA')
  expect(readFileSync(path, 'utf8').trim()).toBe(first)
  await writeNodeToken(dir, 'CA', 'given')
  expect(parseToken(readFileSync(path, 'utf8')).secret).toBe('given')
})
