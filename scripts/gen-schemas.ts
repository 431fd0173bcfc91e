// Generates src/server/registry/schemas/definitions.json: the upstream OpenAPI definitions of every
// built-in kind (descriptions, required, enums, int-or-string, quantities, times) plus the x-kubernetes-*
// patch/list extensions, as a `$ref`-linked map that schemas/index.ts turns into shared inline trees.
//
// Source: the `kubernetes-models` npm packages, generated from the upstream OpenAPI spec; their .d.ts files
// carry every definition's properties with descriptions, required-ness and enum unions. They do not carry the
// x-kubernetes-* extensions, so those come from PATCH_META in patch-meta.ts (transcribed from the upstream
// `+patchMergeKey`/`+patchStrategy`/`+listType`/`+listMapKey` tags in k8s.io/api types.go).
//
// Usage: bun scripts/gen-schemas.ts [DIR_WITH_UNPACKED_PACKAGES]
//   Without a directory, `npm pack`s kubernetes-models and @kubernetes-models/apimachinery into a temp dir.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { PATCH_META } from './patch-meta.ts'

const MODELS = 'kubernetes-models@5.1.0'
const APIMACHINERY = '@kubernetes-models/apimachinery@3.0.2'
const OUT = join(import.meta.dir, '../src/server/registry/schemas/definitions.json')

type Schema = Record<string, unknown>

/** Root kinds served by kubun: `group/version/Kind` (core group = ''). */
const ROOTS = [
  ...['Namespace', 'Pod', 'Service', 'Endpoints', 'ConfigMap', 'Secret', 'ServiceAccount', 'Node', 'Event'].map(
    (k) => `/v1/${k}`,
  ),
  ...['PersistentVolume', 'PersistentVolumeClaim', 'ReplicationController', 'ResourceQuota', 'LimitRange'].map(
    (k) => `/v1/${k}`,
  ),
  '/v1/PodTemplate',
  '/v1/Binding',
  ...['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision'].map((k) => `apps/v1/${k}`),
  'batch/v1/Job',
  'batch/v1/CronJob',
  ...['Ingress', 'IngressClass', 'NetworkPolicy'].map((k) => `networking.k8s.io/v1/${k}`),
  'discovery.k8s.io/v1/EndpointSlice',
  'coordination.k8s.io/v1/Lease',
  'events.k8s.io/v1/Event',
  ...['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map((k) => `rbac.authorization.k8s.io/v1/${k}`),
  ...['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'].map((k) => `storage.k8s.io/v1/${k}`),
  'policy/v1/PodDisruptionBudget',
  'policy/v1/Eviction',
  'autoscaling/v1/HorizontalPodAutoscaler',
  'autoscaling/v1/Scale',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'scheduling.k8s.io/v1/PriorityClass',
  'apiextensions.k8s.io/v1/CustomResourceDefinition',
  ...['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview'].map(
    (k) => `authorization.k8s.io/v1/${k}`,
  ),
  ...['TokenReview', 'SelfSubjectReview', 'TokenRequest'].map((k) => `authentication.k8s.io/v1/${k}`),
  'meta/v1/Status',
  'meta/v1/DeleteOptions',
]

// Enums whose Go zero value "" is accepted upstream (it means "all" or the default).
const ENUM_ALLOWS_EMPTY = new Set(['Toleration.effect', 'Toleration.operator', 'Taint.effect'])

interface Prop {
  name: string
  optional: boolean
  type: string
  description?: string
}
interface Def {
  id: string // IIoK8s... identifier used in imports
  dotted: string // upstream definition name, e.g. io.k8s.api.core.v1.Container
  description?: string
  alias?: string // for `export type IX = string | number`
  props?: Prop[]
}

function unpack(): { dir: string; cleanup: () => void } {
  const arg = process.argv[2]
  if (arg) return { dir: arg, cleanup: () => {} }
  const dir = mkdtempSync(join(tmpdir(), 'gen-schemas-'))
  for (const pkg of [MODELS, APIMACHINERY]) {
    const tgz = execFileSync('npm', ['pack', pkg, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!
    const sub = join(dir, pkg.startsWith('@') ? 'apimachinery' : 'models')
    execFileSync('mkdir', ['-p', sub])
    execFileSync('tar', ['xzf', join(dir, tgz), '-C', sub])
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

function walk(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) {
      if (f !== '_schemas' && f !== 'node_modules') walk(p, out)
    } else if (f.endsWith('.d.ts') && f !== 'index.d.ts') out.push(p)
  }
  return out
}

/** Upstream Go package path for a kubernetes-models file path (relative to the package root). */
function dottedName(rel: string, fromApimachinery: boolean): string {
  const parts = rel.replace(/\.d\.ts$/, '').split('/')
  const name = parts.pop()!
  if (fromApimachinery) return `io.k8s.apimachinery.pkg.${parts.join('.')}.${name}`
  if (parts.length === 1) return `io.k8s.api.core.${parts[0]}.${name}`
  const [groupDir, version] = parts
  if (groupDir === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${name}`
  if (groupDir === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}.${name}`
  return `io.k8s.api.${groupDir.split('.')[0]}.${version}.${name}`
}

const unescapeDoc = (lines: string[]) =>
  lines
    .map((l) => l.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim()
    .replace(/\\\*\//g, '*/')

function parseFile(text: string, rel: string, fromApimachinery: boolean): Def | undefined {
  const idm = /export type \{ (\w+) as (IIoK8s\w+)/.exec(text)
  if (!idm) return
  const def: Def = { id: idm[2], dotted: dottedName(rel, fromApimachinery) }
  const alias = /^export type I\w+ = ([^;]+);/m.exec(text)
  if (alias) {
    def.alias = alias[1]
    return def
  }
  const lines = text.split('\n')
  let i = lines.findIndex((l) => l.startsWith('export interface '))
  if (i < 0) return
  // Interface doc comment: the /** ... */ right above.
  if (lines[i - 1]?.trim() === '*/') {
    let j = i - 1
    while (j > 0 && !lines[j].includes('/**')) j--
    def.description = unescapeDoc(lines.slice(j + 1, i - 1))
  }
  def.props = []
  let doc: string[] | undefined
  for (i++; i < lines.length && lines[i] !== '}'; i++) {
    const l = lines[i]
    if (l.trim() === '/**') {
      doc = []
      for (i++; lines[i].trim() !== '*/'; i++) doc.push(lines[i])
      continue
    }
    const pm = /^ {4}"([^"]+)"(\?)?: (.*)$/.exec(l)
    if (!pm) continue
    let type = pm[3]
    // Multi-line map types: `{` ... `};`
    if (type === 'Array<{') {
      // An inlined embedded object (StatefulSet volumeClaimTemplates): refer to the kind whose spec it carries.
      let spec = ''
      for (i++; lines[i].trim() !== '}>;'; i++) spec ||= /"spec"\?: (IIoK8s\w+)Spec;/.exec(lines[i])?.[1] ?? ''
      type = `Array<${spec}>`
    } else if (type === '{') {
      for (i++; lines[i].trim() !== '};'; i++) type += lines[i].trim()
      type += '}'
    } else type = type.replace(/;$/, '')
    def.props.push({
      name: pm[1],
      optional: !!pm[2],
      type,
      description: doc ? unescapeDoc(doc) : undefined,
    })
    doc = undefined
  }
  return def
}

function main() {
  const { dir, cleanup } = unpack()
  try {
    const defs = new Map<string, Def>()
    const byDotted = new Map<string, Def>()
    for (const [sub, am] of [
      ['models/package', false],
      ['apimachinery/package', true],
    ] as const) {
      const root = join(dir, sub)
      for (const f of walk(root)) {
        const d = parseFile(readFileSync(f, 'utf8'), relative(root, f), am)
        if (!d) continue
        defs.set(d.id, d)
        byDotted.set(d.dotted, d)
      }
    }
    const out: Record<string, Schema> = {}
    const short = (dotted: string) => dotted.slice(dotted.lastIndexOf('.') + 1)

    const special: Record<string, Schema> = {
      'io.k8s.apimachinery.pkg.api.resource.Quantity': {
        type: 'string',
        format: 'quantity',
        'x-kubernetes-int-or-string': true,
      },
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
        type: 'string',
        format: 'int-or-string',
        'x-kubernetes-int-or-string': true,
      },
      'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
      'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
      'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': { 'x-kubernetes-preserve-unknown-fields': true },
      // JSONSchemaProps is recursive; the CRD's own schema is stored as given (it is checked by CRD validation).
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps': {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      },
    }

    const typeSchema = (t: string, owner: Def): Schema => {
      t = t.trim()
      if (t === 'string') return { type: 'string' }
      if (t === 'number') return { type: 'integer' }
      if (t === 'boolean') return { type: 'boolean' }
      if (t === 'any' || t === 'unknown') return { 'x-kubernetes-preserve-unknown-fields': true }
      if (/^"[^"]*"( \| "[^"]*")*$/.test(t)) return { type: 'string', enum: t.split(' | ').map((s) => JSON.parse(s)) }
      let m = /^Array<(.*)>$/.exec(t)
      if (m) return { type: 'array', items: typeSchema(m[1], owner) }
      m = /^\{\[key: string\]: (.*);\}$/.exec(t)
      if (m) return { type: 'object', additionalProperties: typeSchema(m[1], owner) }
      m = /^I\w+\["(apiVersion|kind)"\]$/.exec(t)
      if (m) return { type: 'string' }
      const ref = defs.get(t) ?? (t === `I${short(owner.dotted)}` ? owner : undefined)
      if (ref) {
        visit(ref)
        return { $ref: ref.dotted }
      }
      throw new Error(`unknown type ${t} in ${owner.dotted}`)
    }

    const visit = (d: Def) => {
      if (out[d.dotted]) return
      if (special[d.dotted]) {
        out[d.dotted] = { ...special[d.dotted], ...(d.description ? { description: d.description } : {}) }
        return
      }
      if (d.alias) {
        out[d.dotted] = d.alias === 'string' ? { type: 'string' } : { 'x-kubernetes-int-or-string': true }
        return
      }
      const s: Schema = { type: 'object' }
      out[d.dotted] = s
      if (d.description) s.description = d.description
      const props: Record<string, Schema> = {}
      const required: string[] = []
      for (const p of d.props ?? []) {
        let ps = typeSchema(p.type, d)
        const meta = PATCH_META[`${short(d.dotted)}.${p.name}`]
        if (ps.$ref || p.description || meta) ps = { ...ps }
        if (p.description) ps.description = p.description
        if (Array.isArray(ps.enum) && ENUM_ALLOWS_EMPTY.has(`${short(d.dotted)}.${p.name}`)) ps.enum = ['', ...ps.enum]
        if (meta?.m) ps['x-kubernetes-patch-merge-key'] = meta.m
        if (meta?.s) ps['x-kubernetes-patch-strategy'] = meta.s
        if (meta?.l) ps['x-kubernetes-list-type'] = meta.l
        if (meta?.k) ps['x-kubernetes-list-map-keys'] = meta.k
        if (meta?.mapType) ps['x-kubernetes-map-type'] = meta.mapType
        props[p.name] = ps
        if (!p.optional) required.push(p.name)
      }
      // kubernetes-models marks apiVersion/kind of top-level kinds as required; upstream does not.
      const req = required.filter((r) => r !== 'apiVersion' && r !== 'kind')
      if (Object.keys(props).length) s.properties = props
      if (req.length) s.required = req
    }

    const roots: Record<string, string> = {}
    for (const r of ROOTS) {
      const [group, version, kind] = r.split('/')
      const cands = [...byDotted.values()].filter((d) => short(d.dotted) === kind && d.dotted.includes(`.${version}.`))
      const groupPkg = group === '' ? 'core' : group === 'meta' ? 'meta' : group.split('.')[0]
      const d =
        group === 'apiextensions.k8s.io'
          ? cands.find((c) => c.dotted.includes('apiextensions-apiserver'))
          : cands.find((c) => c.dotted.split('.').includes(groupPkg))
      if (!d) throw new Error(`no definition for ${r}`)
      visit(d)
      roots[r] = d.dotted
    }
    const unusedMeta = Object.keys(PATCH_META).filter(
      (k) => !Object.keys(out).some((d) => k.startsWith(`${short(d)}.`)),
    )
    if (unusedMeta.length) console.warn('PATCH_META entries matching no definition:', unusedMeta.join(', '))
    const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)))
    writeFileSync(
      OUT,
      `${JSON.stringify({ source: `${MODELS} ${APIMACHINERY}`, roots, definitions: sorted }, null, 0)}\n`,
    )
    // Keep the committed file in the repository's formatting, so regenerating shows only real changes.
    execFileSync('npx', ['biome', 'format', '--write', OUT], { stdio: 'ignore' })
    console.log(`wrote ${Object.keys(sorted).length} definitions, ${statSync(OUT).size} bytes to ${OUT}`)
  } finally {
    cleanup()
  }
}

main()
