import { expect, test } from 'bun:test'
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeAtomic } from './atomic-writer.ts'

test('files appear through ..data symlinks; updates swap atomically and drop stale keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-aw-'))
  try {
    expect(writeAtomic(dir, { a: { data: '1' }, 'sub/b': { data: '2', mode: 0o600 } })).toBe(true)
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('1')
    expect(readFileSync(join(dir, 'sub/b'), 'utf8')).toBe('2')
    expect(statSync(join(dir, 'sub/b')).mode & 0o777).toBe(0o600)
    expect(lstatSync(join(dir, 'a')).isSymbolicLink()).toBe(true)
    expect(writeAtomic(dir, { a: { data: '1' }, 'sub/b': { data: '2', mode: 0o600 } })).toBe(false)
    expect(writeAtomic(dir, { a: { data: 'new' } })).toBe(true)
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('new')
    expect(readdirSync(dir).filter((n) => !n.startsWith('..'))).toEqual(['a'])
    expect(readdirSync(dir).filter((n) => n.startsWith('..2'))).toHaveLength(1)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
