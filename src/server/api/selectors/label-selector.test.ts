import { describe, expect, test } from 'bun:test'
import { labelSelectorToString, matchLabels, parseLabelSelector } from './label-selector.ts'

const labels = { app: 'web', tier: 'fe', n: '5' }

describe('label selectors', () => {
  test.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web, db)', true],
    ['app in (db)', false],
    ['app notin (db)', true],
    ['missing notin (db)', true],
    ['app notin (web)', false],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!tier', false],
    ['app=web,tier=fe', true],
    ['app=web,tier=be', false],
    ['n>4', true],
    ['n<4', false],
    ['missing=', false],
    ['example.com/key!=v', true],
  ])('%p matches → %p', (sel, want) => {
    expect(matchLabels(parseLabelSelector(sel), labels)).toBe(want)
  })

  test.each(['app in (web', 'app=web,', '=x', 'app=b@d', 'a b c', 'n>x'])('%p is a 400', (sel) => {
    expect(() => parseLabelSelector(sel)).toThrow(expect.objectContaining({ code: 400 }))
  })

  test('LabelSelector objects print as upstream selector strings', () => {
    expect(
      labelSelectorToString({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['fe', 'be'] },
          { key: 'x', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('!x,app=web,tier in (be,fe)')
  })
})
