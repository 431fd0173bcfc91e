// The real kubectl 1.32: the previous minor still in wide use (its protobuf bodies and discovery differ).
import { KUBECTL_132 } from './kubectl-harness.ts'
import { kubectlSuite } from './kubectl-suite.ts'

kubectlSuite('kubectl 1.32', KUBECTL_132)
