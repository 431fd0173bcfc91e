// The real kubectl 1.33 (and the /usr/bin/kubectl dispatcher, which picks 1.33 from /version).
import { KUBECTL_133 } from './kubectl-harness.ts'
import { kubectlSuite } from './kubectl-suite.ts'

kubectlSuite('kubectl 1.33', KUBECTL_133)
