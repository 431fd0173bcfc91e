// /version: kubectl's dispatcher (/usr/bin/kubectl) picks its kubectl.1.<minor> from `minor`, so report a
// current Kubernetes minor; `+kubun` marks the distribution as k3s does with `+k3s1`.
export const KUBE_VERSION = { major: '1', minor: '33', patch: '1' }

export function versionInfo() {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  return {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    emulationMajor: KUBE_VERSION.major,
    emulationMinor: KUBE_VERSION.minor,
    minCompatibilityMajor: KUBE_VERSION.major,
    minCompatibilityMinor: String(Number(KUBE_VERSION.minor) - 1),
    gitVersion: `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}+kubun`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `bun${Bun.version}`,
    compiler: 'bun',
    platform: `${process.platform}/${arch}`,
  }
}
