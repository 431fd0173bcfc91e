// A fixed token → user table (upstream's --token-auth-file), for tests and simple setups.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { TokenAuthenticator, UserInfo } from './types.ts'

const digest = (s: string) => createHash('sha256').update(s).digest()

export function staticTokenAuthenticator(tokens: Record<string, UserInfo>): TokenAuthenticator {
  // Compared by digest in constant time so response timing says nothing about how close a guess was.
  const entries = Object.entries(tokens).map(([t, user]) => ({ d: digest(t), user }))
  return {
    async authenticate(token) {
      const d = digest(token)
      let found: UserInfo | undefined
      for (const e of entries) if (timingSafeEqual(e.d, d)) found = e.user
      return found && { ...found, groups: [...found.groups] }
    },
  }
}
