import t from 'tap'
import { workersPerGroup } from '../../../sim/fleet/fleet.ts'

t.test('workers per group (netns: a group per namespace): split evenly, at least one, at most one per node', async (t) => {
  const g = (name: string, count: number) => ({ name, count })
  t.same([...workersPerGroup(2, [g('compute', 100)])], [['compute', 2]])
  t.same(
    [...workersPerGroup(2, [g('edge', 30), g('core', 30)])],
    [
      ['edge', 1],
      ['core', 1],
    ],
  )
  t.same(
    [...workersPerGroup(1, [g('a', 5), g('b', 5), g('c', 5)])],
    [
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ],
    'every group gets one, even past `workers`',
  )
  t.same([...workersPerGroup(8, [g('a', 3), g('b', 0)])], [['a', 3]], 'no worker for an empty group, none idle')
})
