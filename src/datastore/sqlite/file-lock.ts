// An exclusive lock on `<db>.lock`, held by an open fd for the life of the process: flock(2)
// locks belong to the open file description, so the kernel drops them when the process dies,
// kill -9 included, and a second open in the same process conflicts too (unlike fcntl locks).
import { dlopen, FFIType } from 'bun:ffi'
import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs'
import { StoreUnavailableError } from '../errors.ts'

const LOCK_EX = 2
const LOCK_NB = 4

let flock: ((fd: number, op: number) => number) | undefined
function libcFlock() {
  if (!flock) {
    const lib = dlopen(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6', {
      flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    })
    flock = lib.symbols.flock as (fd: number, op: number) => number
  }
  return flock
}

export interface FileLock {
  release(): void
}

/** Takes the lock or throws StoreUnavailableError naming the holder's pid. */
export function lockFile(path: string, what: string): FileLock {
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600)
  if (libcFlock()(fd, LOCK_EX | LOCK_NB) !== 0) {
    closeSync(fd)
    const pid = safeRead(path)
    throw new StoreUnavailableError(
      `${what} is in use by another process${pid ? ` (pid ${pid})` : ''}: lock ${path} is held. ` +
        'Stop the other kubun server first, or give this one another --data-dir / --datastore-endpoint.',
    )
  }
  ftruncateSync(fd, 0)
  writeSync(fd, `${process.pid}\n`, 0)
  return { release: () => closeSync(fd) }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return ''
  }
}
