// Images the agent provides without a registry: the pod sandbox image (imported from the pause binary
// shipped in src/agent/pause) and air-gap archives (`docker save` tars in <dataDir>/agent/images, as
// k3s's agent/images), loaded once per content.
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pkg from '../../../package.json' with { type: 'json' }
import { logger } from '../../shared/log.ts'
import { pauseBinaries } from '../pause/pause-binaries.ts'
import type { Runtime } from './runtime.ts'
import { tarOf } from './tar.ts'

const log = logger('images')

export const PAUSE_IMAGE = `kubun/pause:${pkg.version}`

/** Imports kubun/pause:<version> when Docker does not have it. */
export async function ensurePauseImage(rt: Runtime, arch = process.arch): Promise<string> {
  if (await rt.imageId(PAUSE_IMAGE)) return PAUSE_IMAGE
  const b64 = pauseBinaries[arch]
  if (!b64) throw new Error(`no pause binary for ${arch}; kubun's agent supports x64 and arm64`)
  const tar = tarOf([{ path: 'pause', data: Buffer.from(b64, 'base64'), mode: 0o755 }])
  await rt.importRootfs(tar, PAUSE_IMAGE, { cmd: ['/pause'] })
  log.info('imported the pod sandbox image', { image: PAUSE_IMAGE })
  return PAUSE_IMAGE
}

interface Seen {
  size: number
  mtimeMs: number
  sha256: string
}

/** Loads every *.tar under dir that changed since its last import (size+mtime, then sha256). */
export async function importAirgapImages(rt: Runtime, dir: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  const statePath = join(dir, '.kubun-imported.json')
  let state: Record<string, Seen> = {}
  try {
    state = JSON.parse(readFileSync(statePath, 'utf8'))
  } catch {}
  const loaded: string[] = []
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.tar'))
    .sort()) {
    const path = join(dir, f)
    const st = statSync(path)
    const old = state[f]
    if (old && old.size === st.size && old.mtimeMs === st.mtimeMs) continue
    const sha256 = await fileSha256(path)
    if (old?.sha256 !== sha256) {
      try {
        await rt.loadImages(createReadStream(path))
      } catch (e) {
        log.error('air-gap image archive failed to load; fix or remove it', { file: path, err: e })
        continue
      }
      loaded.push(f)
      log.info('loaded air-gap images', { file: path })
    }
    state[f] = { size: st.size, mtimeMs: st.mtimeMs, sha256 }
    writeFileSync(statePath, JSON.stringify(state, null, 2))
  }
  return loaded
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer)
  return h.digest('hex')
}
