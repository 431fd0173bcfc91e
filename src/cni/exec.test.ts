import { expect, test } from 'bun:test'
import { CommandError, host } from './exec.ts'

const h = host()

test('stdin goes in, stdout comes back', async () => {
  expect((await h.run(['cat'], { stdin: 'add table ip t\n' })).stdout).toBe('add table ip t\n')
})

test('a failing command throws a CommandError naming the command and its stderr', async () => {
  const err = await h.run(['sh', '-c', 'echo boom >&2; exit 3']).catch((e) => e)
  expect(err).toBeInstanceOf(CommandError)
  expect(err.message).toBe('sh -c echo boom >&2; exit 3 failed (exit 3): boom')
  expect((await h.run(['sh', '-c', 'exit 3'], { allowFail: true })).code).toBe(3)
})

test('a missing executable is exit 127, or an error asking whether it is installed', async () => {
  expect((await h.run(['kubun-no-such-tool'], { allowFail: true })).code).toBe(127)
  await expect(h.run(['kubun-no-such-tool'])).rejects.toThrow(/is kubun-no-such-tool installed\?/)
})
