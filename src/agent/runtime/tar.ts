// A minimal ustar writer: enough to hand Docker a rootfs of a few small files (the pause image) without
// a tar binary or library.

export interface TarEntry {
  path: string
  data: Uint8Array
  mode: number
}

const enc = new TextEncoder()

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`
}

function header(e: TarEntry): Uint8Array {
  const h = new Uint8Array(512)
  const put = (s: string, off: number) => h.set(enc.encode(s), off)
  if (enc.encode(e.path).length > 100) throw new Error(`tar path too long: ${e.path}`)
  put(e.path, 0)
  put(octal(e.mode, 8), 100)
  put(octal(0, 8), 108)
  put(octal(0, 8), 116)
  put(octal(e.data.length, 12), 124)
  put(octal(0, 12), 136)
  put('        ', 148)
  put('0', 156)
  put('ustar\0', 257)
  put('00', 263)
  let sum = 0
  for (const b of h) sum += b
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  return h
}

export function tarOf(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = []
  for (const e of entries) {
    parts.push(header(e), e.data)
    const pad = (512 - (e.data.length % 512)) % 512
    if (pad) parts.push(new Uint8Array(pad))
  }
  parts.push(new Uint8Array(1024))
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of parts) {
    out.set(p, off)
    off += p.length
  }
  return out
}
