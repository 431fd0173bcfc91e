import { expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tarOf } from './tar.ts'

test('tar unpacks with the system tar: content and mode kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-tar-'))
  try {
    const data = new TextEncoder().encode('#!/bin/sh\necho hi\n')
    writeFileSync(join(dir, 'x.tar'), tarOf([{ path: 'pause', data, mode: 0o755 }]))
    expect(Bun.spawnSync(['tar', '-xf', join(dir, 'x.tar'), '-C', dir]).exitCode).toBe(0)
    expect(readFileSync(join(dir, 'pause'), 'utf8')).toBe('#!/bin/sh\necho hi\n')
    expect(statSync(join(dir, 'pause')).mode & 0o777).toBe(0o755)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
