// Facts about this machine for the Node object: CPUs, memory, the data dir's disk, kernel, OS image,
// ids, and the address to advertise (--node-ip, else the source address of the default route).
import { existsSync, readFileSync, statfsSync } from 'node:fs'
import { arch, cpus, hostname, release, totalmem } from 'node:os'

export interface Machine {
  hostname: string
  cpus: number
  memoryBytes: number
  ephemeralStorageBytes: number
  kernelVersion: string
  osImage: string
  machineID: string
  bootID: string
  /** Kubernetes arch name: amd64, arm64 */
  arch: string
}

const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').trim() : '')

export function machineFacts(dataDir: string): Machine {
  let disk = 0
  try {
    const s = statfsSync(existsSync(dataDir) ? dataDir : '/')
    disk = Number(s.blocks) * Number(s.bsize)
  } catch {}
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(read('/etc/os-release'))?.[1]
  return {
    hostname: hostname().toLowerCase(),
    cpus: cpus().length || 1,
    memoryBytes: totalmem(),
    ephemeralStorageBytes: disk,
    kernelVersion: release(),
    osImage: pretty ?? 'Linux',
    machineID: read('/etc/machine-id'),
    bootID: read('/proc/sys/kernel/random/boot_id'),
    arch: kubeArch(arch()),
  }
}

export const kubeArch = (a: string) => ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' })[a] ?? a

/** The node IP default, shared with the server's advertise address. */
export { defaultRouteAddress } from '../../shared/host-address.ts'
