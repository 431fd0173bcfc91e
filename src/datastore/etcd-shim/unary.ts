// Adapts an async handler to grpc-js's unary callback style, mapping thrown errors to etcd's statuses.
import type * as grpc from '@grpc/grpc-js'
import { toGrpcError } from './grpc-errors.ts'

// Wire messages are plain objects shaped by the .proto files; each handler declares its own shape.
export type Handler = (req: any) => Promise<unknown>

export function unary(fn: Handler): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (err) => callback(toGrpcError(err)),
    )
  }
}
