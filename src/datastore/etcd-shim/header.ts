// The identity this single-member "cluster" reports in every response header and in Status/MemberList.
// Fixed IDs: clients only compare them with each other (etcdctl's "IS LEADER" = leader == member_id).

export const CLUSTER_ID = '14841639068965178418'
export const MEMBER_ID = '10276657743932975437'
/** A single member that never holds an election stays in its first term after start-up, as etcd does. */
export const RAFT_TERM = 2
/** Version reported by Maintenance.Status: the etcd API level we implement. */
export const ETCD_VERSION = '3.4.0'
export const MEMBER_NAME = 'kubun'

export interface WireHeader {
  cluster_id: string
  member_id: string
  revision: number
  raft_term: number
}

export const header = (revision: number): WireHeader => ({
  cluster_id: CLUSTER_ID,
  member_id: MEMBER_ID,
  revision,
  raft_term: RAFT_TERM,
})
