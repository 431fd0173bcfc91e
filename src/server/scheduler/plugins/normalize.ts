// Upstream's NormalizeScore helpers (pkg/scheduler/framework/plugins/helper/normalize_score.go).
import { MAX_NODE_SCORE } from '../types.ts'

/** Scales so the highest becomes 100; reverse = lower raw scores are better. */
export function defaultNormalize(scores: number[], reverse = false): void {
  const max = Math.max(0, ...scores)
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE)
    return
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.floor((scores[i] * MAX_NODE_SCORE) / max)
    scores[i] = reverse ? MAX_NODE_SCORE - s : s
  }
}

/** Maps [min, max] onto [0, 100] (InterPodAffinity's normalization). */
export function minMaxNormalize(scores: number[]): void {
  const min = Math.min(...scores)
  const max = Math.max(...scores)
  const span = max - min
  for (let i = 0; i < scores.length; i++)
    scores[i] = span > 0 ? Math.floor(((scores[i] - min) * MAX_NODE_SCORE) / span) : 0
}
