// Long-lived server streams (watches, lease keep-alives) never end by themselves, so a graceful
// shutdown would wait on them forever: each registers here and close() ends them all.

export class OpenStreams {
  private readonly enders = new Set<() => void>()

  /** Registers `end`; returns the function the stream calls when it finishes on its own. */
  add(end: () => void): () => void {
    this.enders.add(end)
    return () => this.enders.delete(end)
  }

  endAll(): void {
    for (const end of [...this.enders]) end()
    this.enders.clear()
  }
}
