import { describe, expect, test } from 'bun:test'
import { ListenAddressError, parseListenAddress } from './listen-address.ts'

describe('parseListenAddress', () => {
  test.each([
    ['127.0.0.1:2379', '127.0.0.1:2379'],
    ['127.0.0.5:0', '127.0.0.5:0'],
    ['localhost:2379', '127.0.0.1:2379'],
    ['[::1]:2379', '[::1]:2379'],
  ])('%s binds %s', (listen, bind) => {
    expect(parseListenAddress(listen).bind).toBe(bind)
  })

  test.each(['0.0.0.0:2379', '10.0.0.1:2379', '[::]:2379', ':2379', 'example.com:2379'])(
    'refuses plaintext on non-loopback %s and says what to use',
    (listen) => {
      expect(() => parseListenAddress(listen)).toThrow(ListenAddressError)
      expect(() => parseListenAddress(listen)).toThrow(/requires TLS with the cluster CA.*use 127\.0\.0\.1:/)
    },
  )

  test.each(['2379', '127.0.0.1', '127.0.0.1:99999'])('rejects malformed %s', (listen) => {
    expect(() => parseListenAddress(listen)).toThrow(ListenAddressError)
  })
})
