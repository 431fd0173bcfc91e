// Pod IPs from the node's podCIDR for simulated pods: .1 is the gateway (as cni0 holds it), then the
// lowest free address; released when the pod goes.

export class PodIps {
  private used = new Set<number>()
  private readonly base: number
  private readonly size: number

  constructor(readonly podCidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(podCidr)
    if (!m) throw new Error(`node podCIDR "${podCidr}" is not an IPv4 CIDR`)
    const ip = ((+m[1] * 256 + +m[2]) * 256 + +m[3]) * 256 + +m[4]
    this.size = 2 ** (32 - +m[5])
    this.base = Math.floor(ip / this.size) * this.size
  }

  allocate(): string {
    for (let i = 2; i < this.size - 1; i++) {
      if (!this.used.has(i)) {
        this.used.add(i)
        const n = this.base + i
        return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')
      }
    }
    throw new Error(`no pod IP left in ${this.podCidr}; lower --max-pods or use fewer pods per node`)
  }

  release(ip: string): void {
    const n = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0) - this.base
    this.used.delete(n)
  }
}
