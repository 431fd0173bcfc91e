// `import x from './file.proto' with { type: 'text' }` gives the file's text (Bun embeds it at build time).
declare module '*.proto' {
  const text: string
  export default text
}
