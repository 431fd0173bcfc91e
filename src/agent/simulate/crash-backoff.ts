// CrashLoopBackOff for the fake runtime, as the kubelet's (kuberuntime_manager doBackOff over
// flowcontrol.Backoff): the first restart is immediate, then the base (10 s) doubling up to 30× the base
// (5 min); a container that ran for twice the cap (10 min) before dying starts over without delay.
// The base is `--crash-backoff` so tests can use a short one; the cap and reset scale with it.

/** Delay before restarting a container whose dead instance had `restartCount` and ran `ranMs`. */
export function crashBackoffMs(restartCount: number, ranMs: number, baseMs: number): number {
  const maxMs = 30 * baseMs
  if (baseMs <= 0 || restartCount <= 0 || ranMs >= 2 * maxMs) return 0
  return Math.min(baseMs * 2 ** (restartCount - 1), maxMs)
}

/** A duration as Go's time.Duration.String() prints it (the kubelet's "back-off 2m40s ..."). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000) return `${ms}ms`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = (ms % 60_000) / 1000
  const sec = `${Number.isInteger(s) ? s : Number(s.toFixed(3))}s`
  if (h) return `${h}h${m}m${sec}`
  if (m) return `${m}m${sec}`
  return sec
}

/** format.Pod(pod) of the kubelet: name_namespace(uid). */
export const podRef = (name: string, namespace: string, uid: string) => `${name}_${namespace}(${uid})`
