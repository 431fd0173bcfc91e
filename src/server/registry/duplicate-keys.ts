// JSON.parse keeps the last of duplicate keys silently; kube-apiserver's strict decoder reports them
// (`duplicate field "spec.replicas"`). This scanner finds them in the raw request body without building
// values. Malformed input returns what was found so far: JSON.parse reports the syntax error.

/** Paths (`spec.replicas`, `spec.containers[0].name`) of keys that occur twice in the same object. */
export function findDuplicateKeys(text: string): string[] {
  const out: string[] = []
  let i = 0
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++
  }
  const str = (): string => {
    // text[i] === '"'
    const start = i
    i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    i++
    try {
      return JSON.parse(text.slice(start, i))
    } catch {
      return text.slice(start + 1, i - 1)
    }
  }
  const value = (path: string): void => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const seen = new Set<string>()
      ws()
      if (text[i] === '}') {
        i++
        return
      }
      while (i < text.length) {
        ws()
        if (text[i] !== '"') return
        const key = str()
        const p = path ? `${path}.${key}` : key
        if (seen.has(key)) out.push(p)
        seen.add(key)
        ws()
        if (text[i] !== ':') return
        i++
        value(p)
        ws()
        if (text[i] === ',') i++
        else if (text[i] === '}') {
          i++
          return
        } else return
      }
    } else if (c === '[') {
      i++
      ws()
      if (text[i] === ']') {
        i++
        return
      }
      for (let n = 0; i < text.length; n++) {
        value(`${path}[${n}]`)
        ws()
        if (text[i] === ',') i++
        else if (text[i] === ']') {
          i++
          return
        } else return
      }
    } else if (c === '"') str()
    else while (i < text.length && !',}] \t\n\r'.includes(text[i])) i++
  }
  value('')
  return out
}
