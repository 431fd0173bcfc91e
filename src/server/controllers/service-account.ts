// Every active namespace gets a `default` ServiceAccount (upstream serviceaccounts-controller) and the
// `kube-root-ca.crt` ConfigMap with the server CA (root-ca-cert-publisher); both come back if deleted.
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, newController } from './context.ts'
import type { Controller } from './lib/controller.ts'
import { inNs, R } from './lib/resources.ts'

const ROOT_CA = 'kube-root-ca.crt'

export function serviceAccountController(ctx: ControllerContext): Controller {
  const namespaces = ctx.informers.informerFor(R.namespaces)
  const accounts = ctx.informers.informerFor(R.serviceaccounts)
  const configMaps = ctx.informers.informerFor(R.configmaps)
  const ca = ctx.options.rootCaPem

  const c = newController(ctx, {
    name: 'serviceaccount-controller',
    workers: 2,
    async reconcile(name) {
      const ns = namespaces.get(name)
      if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return
      if (!accounts.getByName(name, 'default'))
        await createIgnoringExists(inNs(R.serviceaccounts, name), {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'default', namespace: name },
        })
      if (!ca) return
      const cm = configMaps.getByName(name, ROOT_CA)
      const want = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: ROOT_CA,
          namespace: name,
          annotations: {
            'kubernetes.io/description':
              'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
          },
        },
        data: { 'ca.crt': ca },
      }
      if (!cm) await createIgnoringExists(inNs(R.configmaps, name), want)
      else if (cm.data?.['ca.crt'] !== ca)
        await ctx.client.update(inNs(R.configmaps, name), { ...cm, data: { 'ca.crt': ca } })
    },
  })

  async function createIgnoringExists(ref: ReturnType<typeof inNs>, obj: KubeObject): Promise<void> {
    try {
      await ctx.client.create(ref, obj)
    } catch (err) {
      const code = (err as { code?: number }).code
      // 409: exists; 403: the namespace is terminating
      if (code !== 409 && code !== 403) throw err
    }
  }

  namespaces.addHandler({
    add: (o) => c.enqueue(o.metadata!.name!),
    update: (_, o) => c.enqueue(o.metadata!.name!),
  })
  accounts.addHandler({ delete: (o) => o.metadata?.name === 'default' && c.enqueue(o.metadata.namespace!) })
  configMaps.addHandler({
    delete: (o) => o.metadata?.name === ROOT_CA && c.enqueue(o.metadata.namespace!),
    update: (_, o) => o.metadata?.name === ROOT_CA && c.enqueue(o.metadata.namespace!),
  })
  return c
}
