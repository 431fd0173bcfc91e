// Maintenance.Status/Alarm and Cluster.MemberList: enough for `etcdctl endpoint status`, `alarm list`
// and `member list`. This store is a single always-leader member; raft index = store revision.
import type { Backend } from '../backend.ts'
import { ETCD_VERSION, header, MEMBER_ID, MEMBER_NAME, RAFT_TERM } from './header.ts'
import { unary } from './unary.ts'

export function maintenanceService(store: Backend) {
  return {
    // No alarm is ever raised here (no space quota, no cross-member corruption check), so every
    // action answers with the empty alarm list, as etcd does when none is active.
    Alarm: unary(async () => ({ header: header(store.currentRevision()), alarms: [] })),
    Status: unary(async () => {
      const s = await store.status()
      return {
        header: header(s.revision),
        version: ETCD_VERSION,
        dbSize: s.dbSize,
        leader: MEMBER_ID,
        raftIndex: s.revision,
        raftTerm: RAFT_TERM,
        raftAppliedIndex: s.revision,
        errors: [],
        dbSizeInUse: s.dbSizeInUse,
        isLearner: false,
      }
    }),
  }
}

export function clusterService(store: Backend, clientUrl: () => string) {
  return {
    MemberList: unary(async () => ({
      header: header(store.currentRevision()),
      members: [{ ID: MEMBER_ID, name: MEMBER_NAME, peerURLs: [], clientURLs: [clientUrl()], isLearner: false }],
    })),
  }
}
