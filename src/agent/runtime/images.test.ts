import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { FakeRuntime } from './fake.ts'
import { ensurePauseImage, importAirgapImages, PAUSE_IMAGE } from './images.ts'

test('air-gap archives load once per content; touched-but-equal files are not loaded again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-airgap-'))
  const rt = new FakeRuntime()
  let loads = 0
  rt.loadImages = async (t: Readable) => {
    for await (const _ of t) loads += 0
    loads++
  }
  try {
    writeFileSync(join(dir, 'a.tar'), 'A')
    writeFileSync(join(dir, 'notes.txt'), 'ignored')
    expect(await importAirgapImages(rt, dir)).toEqual(['a.tar'])
    expect(await importAirgapImages(rt, dir)).toEqual([])
    utimesSync(join(dir, 'a.tar'), new Date(), new Date(Date.now() + 5000))
    expect(await importAirgapImages(rt, dir)).toEqual([])
    writeFileSync(join(dir, 'a.tar'), 'B')
    expect(await importAirgapImages(rt, dir)).toEqual(['a.tar'])
    expect(loads).toBe(2)
    expect(await importAirgapImages(rt, join(dir, 'missing'))).toEqual([])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the pause image is imported once', async () => {
  const rt = new FakeRuntime()
  expect(await ensurePauseImage(rt)).toBe(PAUSE_IMAGE)
  expect(rt.images.has(PAUSE_IMAGE)).toBe(true)
})
