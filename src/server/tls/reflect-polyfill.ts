// The Reflect metadata API that tsyringe (under @peculiar/x509) checks for when it loads. A module of its
// own, imported before @peculiar/x509: `bun build --compile` hoists ESM dependencies above the importing
// module's body, where a bare `import 'reflect-metadata'` (a CommonJS package) runs, so placed beside the
// x509 import the compiled binary loaded tsyringe first and every server start failed.
import 'reflect-metadata'
