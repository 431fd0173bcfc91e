type Obj = Record<string, any>

/** Sets `o[key]` when unset. Go's zero value "" means unset too, so it is defaulted as upstream does. */
export function setDefault(o: Obj, key: string, v: unknown): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = v
}
