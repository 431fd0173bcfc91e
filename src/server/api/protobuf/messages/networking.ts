// k8s.io/api/networking/v1 (generated.proto)
import type { MessageTable } from '../message-table.ts'

export const networkingKinds = ['Ingress'] as const

export const networkingMessages = {
  Ingress: { metadata: [1, 'ObjectMeta'], spec: [2, 'IngressSpec'], status: [3, 'IngressStatus'] },
  IngressSpec: {
    ingressClassName: [4, 'string?'],
    defaultBackend: [1, 'IngressBackend'],
    tls: [2, 'IngressTLS[]'],
    rules: [3, 'IngressRule[]'],
  },
  IngressBackend: { service: [4, 'IngressServiceBackend'], resource: [3, 'TypedLocalObjectReference'] },
  IngressServiceBackend: { name: [1, 'string'], port: [2, 'ServiceBackendPort'] },
  ServiceBackendPort: { name: [1, 'string'], number: [2, 'int32'] },
  IngressTLS: { hosts: [1, 'string[]'], secretName: [2, 'string'] },
  IngressRule: { host: [1, 'string'], ingressRuleValue: [2, '...IngressRuleValue'] },
  IngressRuleValue: { http: [1, 'HTTPIngressRuleValue'] },
  HTTPIngressRuleValue: { paths: [1, 'HTTPIngressPath[]'] },
  HTTPIngressPath: { path: [1, 'string'], pathType: [3, 'string?'], backend: [2, 'IngressBackend'] },
  IngressStatus: { loadBalancer: [1, 'IngressLoadBalancerStatus'] },
  IngressLoadBalancerStatus: { ingress: [1, 'IngressLoadBalancerIngress[]'] },
  IngressLoadBalancerIngress: { ip: [1, 'string'], hostname: [2, 'string'], ports: [4, 'IngressPortStatus[]'] },
  IngressPortStatus: { port: [1, 'int32'], protocol: [2, 'string'], error: [3, 'string?'] },
} as const satisfies MessageTable
