// Patch failures as upstream kube-apiserver reports them (staging/.../endpoints/handlers/patch.go):
// a malformed patch document is a 400 BadRequest carrying the decoder's message; a well-formed patch that
// cannot be applied (a JSON patch `test` that fails, a path that does not exist) is the generic 422
// "the server rejected our request due to an error in our request" with the detail as a cause.
import { ApiError } from '../../../shared/errors.ts'

export class PatchError extends ApiError {
  override name = 'PatchError'
}

/** 400: the patch body itself is malformed (not JSON, not an array of operations, a bad directive). */
export const patchBadRequest = (message: string) => new PatchError(400, 'BadRequest', message)

/** 422 as upstream's NewGenericServerResponse(422, ...): the detail travels as an UnexpectedServerResponse cause. */
export const patchUnprocessable = (detail: string) =>
  new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: detail }],
  })
