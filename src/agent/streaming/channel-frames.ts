// The remotecommand WebSocket protocol kubectl speaks for exec and attach (k8s.io/apimachinery
// remotecommand, subprotocols `v5.channel.k8s.io` and `v4.channel.k8s.io`): every binary message is
// `[channel byte][payload]`. v5 adds channel 255 (`[255, 0]` = the client closed stdin); v4 has no way to
// say so, so stdin stays open until the connection ends.

export const STDIN = 0
export const STDOUT = 1
export const STDERR = 2
/** v4+: a JSON metav1.Status when the process ends */
export const STATUS = 3
/** TTY resize: JSON {"Width": w, "Height": h} */
export const RESIZE = 4
/** v5: close a stream; the payload is the channel being closed */
export const CLOSE = 255

/** Best first: the server answers the first of these the client offered. */
export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const
export type ChannelProtocol = (typeof CHANNEL_PROTOCOLS)[number]

/** The subprotocols in a Sec-WebSocket-Protocol header, in the client's order. */
export function offeredProtocols(header: string | null): string[] {
  return (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** The protocol to answer with, or undefined when none of ours was offered. */
export function pickProtocol(offered: string[], supported: readonly string[] = CHANNEL_PROTOCOLS): string | undefined {
  return supported.find((p) => offered.includes(p))
}

export function encodeFrame(channel: number, payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload
  const out = new Uint8Array(body.byteLength + 1)
  out[0] = channel
  out.set(body, 1)
  return out
}

export type ClientFrame =
  | { kind: 'stdin'; data: Uint8Array }
  | { kind: 'resize'; width: number; height: number }
  | { kind: 'close'; channel: number }
  | { kind: 'ignored'; channel: number }

/** A message from the client. Empty messages and unknown channels are ignored, as upstream does. */
export function decodeClientFrame(msg: Uint8Array): ClientFrame {
  if (msg.byteLength === 0) return { kind: 'ignored', channel: -1 }
  const channel = msg[0]
  const data = msg.subarray(1)
  if (channel === STDIN) return { kind: 'stdin', data }
  if (channel === RESIZE) {
    try {
      const size = JSON.parse(new TextDecoder().decode(data)) as { Width?: number; Height?: number }
      return { kind: 'resize', width: Number(size.Width ?? 0), height: Number(size.Height ?? 0) }
    } catch {
      return { kind: 'ignored', channel }
    }
  }
  if (channel === CLOSE && data.byteLength > 0) return { kind: 'close', channel: data[0] }
  return { kind: 'ignored', channel }
}

/** The Status sent on channel 3 when the process ended: Success, or NonZeroExitCode with the code as
 * an ExitCode cause (kubectl exits with that code). */
export function exitStatus(code: number): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' }
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command, exit status ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  }
}

/** A failure before or instead of an exit code (container gone, command not found): kubectl prints the message. */
export function errorStatus(message: string, reason = 'InternalError', code = 500): Record<string, unknown> {
  return { metadata: {}, status: 'Failure', message, reason, code }
}

export const statusFrame = (s: Record<string, unknown>) => encodeFrame(STATUS, JSON.stringify(s))
