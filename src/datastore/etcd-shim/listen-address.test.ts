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

  test.each([
    ['127.0.0.1:2379', true],
    ['[::1]:2379', true],
    ['0.0.0.0:2379', false],
    ['10.0.0.1:2379', false],
    ['[::]:2379', false],
    ['example.com:2379', false],
  ])('%s: plaintext allowed = %p (anything but loopback needs TLS)', (listen, loopback) => {
    expect(parseListenAddress(listen).loopback).toBe(loopback)
  })

  test.each(['2379', '127.0.0.1', '127.0.0.1:99999', ':2379'])('rejects malformed %s', (listen) => {
    expect(() => parseListenAddress(listen)).toThrow(ListenAddressError)
  })
})
