// CrashLoopBackOff as the kubelet's: the first restart is immediate, then 10 s doubling to 5 min; a
// container that ran for 10 min (twice the cap) before dying starts over without delay.
export const BACKOFF_INITIAL_MS = 10_000
export const BACKOFF_MAX_MS = 300_000
const RESET_AFTER_MS = 2 * BACKOFF_MAX_MS

/** Delay before restarting a container whose dead instance had `restartCount` and ran `ranMs`. */
export function crashLoopDelayMs(restartCount: number, ranMs: number): number {
  if (restartCount <= 0 || ranMs >= RESET_AFTER_MS) return 0
  return Math.min(BACKOFF_INITIAL_MS * 2 ** (restartCount - 1), BACKOFF_MAX_MS)
}
