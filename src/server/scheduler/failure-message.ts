// FailedScheduling messages in upstream's words (framework.FitError.Error): reasons counted per node,
// "<count> <reason>" sorted as strings, then the preemption outcome in the same style.

export function countReasons(failures: Iterable<{ reasons: string[] }>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const f of failures) for (const r of new Set(f.reasons)) counts.set(r, (counts.get(r) ?? 0) + 1)
  return counts
}

export function reasonList(counts: Map<string, number>): string {
  return [...counts]
    .map(([r, n]) => `${n} ${r}`)
    .sort()
    .join(', ')
}

/** "0/3 nodes are available: 1 node(s) had untolerated taint {k: }, 2 Insufficient cpu." */
export function fitErrorMessage(
  nodeCount: number,
  failures: Iterable<{ reasons: string[]; preFilter?: boolean }>,
): string {
  const all = [...failures]
  // upstream FitError: a PreFilter rejection is reported once, as its plugin worded it
  const pre = all.find((f) => f.preFilter)
  if (pre) return `0/${nodeCount} nodes are available: ${pre.reasons.join(', ')}.`
  const counts = countReasons(all)
  if (nodeCount === 0 || counts.size === 0) return `0/${nodeCount} nodes are available.`
  return `0/${nodeCount} nodes are available: ${reasonList(counts)}.`
}

/** The suffix upstream appends after a failed preemption attempt. */
export function preemptionMessage(nodeCount: number, counts: Map<string, number>): string {
  if (counts.size === 0) return ''
  return ` preemption: 0/${nodeCount} nodes are available: ${reasonList(counts)}.`
}

export const NO_VICTIMS = 'No preemption victims found for incoming pod'
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling'
