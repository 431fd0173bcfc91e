// Node IPAM (kube-controller-manager's nodeipam with the range allocator): every Node gets a /24 of
// --cluster-cidr in spec.podCIDR/podCIDRs when it registers. The allocator is rebuilt from the Nodes'
// podCIDRs as the informer lists them (before any worker runs), and a deleted Node's CIDR is released.
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, newController } from './context.ts'
import type { Controller } from './lib/controller.ts'
import { R } from './lib/resources.ts'
import { CidrAllocator } from './node-ipam-allocator.ts'

export const DEFAULT_CLUSTER_CIDR = '10.42.0.0/16'

export function nodeIpamController(ctx: ControllerContext): Controller {
  const nodes = ctx.informers.informerFor(R.nodes)
  const alloc = new CidrAllocator(ctx.options.clusterCidr ?? DEFAULT_CLUSTER_CIDR)
  /** node name → the CIDR we hold for it (patch in flight or done) */
  const held = new Map<string, string>()
  const recorder = ctx.events('node-ipam-controller')

  const c = newController(ctx, {
    name: 'node-ipam-controller',
    workers: 2,
    async reconcile(name) {
      const node = nodes.get(name)
      if (!node) {
        const cidr = held.get(name)
        if (cidr) alloc.release(cidr)
        held.delete(name)
        return
      }
      if (node.spec?.podCIDR) return
      let cidr = held.get(name)
      if (!cidr) {
        try {
          cidr = alloc.allocate()
        } catch (err) {
          recorder.event(node, 'Warning', 'CIDRNotAvailable', (err as Error).message)
          throw err
        }
        held.set(name, cidr)
      }
      await ctx.client.patch(R.nodes, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } })
      recorder.event(node, 'Normal', 'CIDRAssignmentSucceeded', `Node ${name} was assigned pod CIDR ${cidr}`)
    },
  })

  const seen = (n: KubeObject) => {
    const name = n.metadata?.name ?? ''
    const cidr = n.spec?.podCIDR as string | undefined
    if (cidr) {
      const prev = held.get(name)
      if (prev && prev !== cidr) alloc.release(prev)
      alloc.occupy(cidr)
      held.set(name, cidr)
    } else c.enqueue(name)
  }
  nodes.addHandler({
    add: seen,
    update: (_o, n) => seen(n),
    delete: (n) => c.enqueue(n.metadata?.name ?? ''),
  })
  return c
}
