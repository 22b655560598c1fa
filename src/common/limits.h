/* limits.h - every ceiling ecsd enforces, in one place (curl's DYN_* idea).
 * Hostile input hits one of these, never malloc. No logic here. */
#ifndef ECSD_LIMITS_H
#define ECSD_LIMITS_H

#define LIM_URL_BYTES          (16 * 1024)  /* request line target incl. query */
#define LIM_HEADER_COUNT       64           /* headers per request */
#define LIM_HEADER_BYTES       (16 * 1024)  /* all headers together */
#define LIM_BODY_BYTES         (64 * 1024)  /* form body */
#define LIM_PARAM_COUNT        512          /* parameters after merge */
#define LIM_NAME_BYTES         128          /* one parameter name */
#define LIM_VALUE_BYTES        (32 * 1024)  /* one parameter value (UserData) */
#define LIM_LIST_ITEMS         100          /* Name.N or JSON-array items */
#define LIM_REPLY_BYTES        (8 * 1024 * 1024) /* one rendered response */
/* The longest V1/V3 string to sign (or canonical request): decoded
 * parameters are at most the query plus the body; pct-encoding triples each
 * byte and V1 encodes the canonical query a second time (x9); V3 adds the
 * signed headers. SignatureDoesNotMatch echoes it, so it bounds an error's
 * detail. */
#define LIM_SIGN_BYTES         (9 * ((size_t)LIM_URL_BYTES + LIM_BODY_BYTES) + \
                                2 * (size_t)LIM_HEADER_BYTES + 4096)
/* One error document: its detail (at most LIM_SIGN_BYTES) and fixed fields
 * (host, codes, request id, Recommend URL; under 2 KiB), each byte escaped
 * to at most 6 (JSON \u00XX, XML &quot;). Every request within the limits
 * above gets a complete error body. */
#define LIM_ERROR_REPLY_BYTES  (6 * (LIM_SIGN_BYTES + 2048) + 1024)
#define LIM_ARENA_BYTES        (16 * 1024 * 1024) /* one request's arena */
#define LIM_CONNECTIONS        1024         /* open client connections */
#define LIM_CONNECTIONS_PER_IP 256          /* of them from one address */
#define LIM_CONN_TIMEOUT_S     30           /* idle/slow connection timeout */
#define LIM_STOP_GRACE_S       10           /* SIGTERM: requests in flight may finish */
#define LIM_STOP_QUIET_MS      200          /* ... stop once none was for this long */
#define LIM_CTL_BODY_BYTES     (64 * 1024)  /* control API JSON body */
#define LIM_CTL_TOKEN_MIN      16           /* --control-token length, at least */
#define LIM_CRED_LINE_BYTES    512          /* one credentials-file line */
#define LIM_CRED_KEYS          4096         /* keys in a credentials file */
#define LIM_AUTH_WINDOW_S      (15 * 60)    /* timestamp skew, either direction */
/* A nonce is kept while its request's stamp is inside the window (plus at
 * most a minute): src/store/replay.h; its memory: --replay-cache-mb. */
#define LIM_CLIENT_TOKEN_BYTES 64           /* ClientToken length */
#define LIM_NAME_FIELD_BYTES   128          /* InstanceName, DiskName, ... */
#define LIM_DESC_BYTES         256          /* Description fields */
#define LIM_AMOUNT             100          /* RunInstances Amount */
#define LIM_DATA_DISKS         16           /* DataDisk.N */
#define LIM_DISKS_PER_INSTANCE 17           /* system + 16 data disks */
#define LIM_SNAPSHOTS_PER_DISK 256          /* manual snapshots per disk */
#define LIM_PAGE_SIZE          100          /* DescribeInstances page */
#define LIM_DISK_PAGE_SIZE     500          /* DescribeDisks MaxResults */
#define LIM_STATUS_PAGE_SIZE   50           /* DescribeInstanceStatus */
#define LIM_BATCH_IDS          100          /* DeleteInstances InstanceId.N */
#define LIM_CHARGE_TYPE_IDS    20           /* ModifyInstanceChargeType */
#define LIM_GROUP_COMMIT       256          /* writes sharing one commit */
#define LIM_STORE_READERS      16           /* SQLite reader connections */
#define LIM_STORE_STMT_CACHE   32           /* cached generated statements per connection */
#define LIM_STORE_SQL_BYTES    (64 * 1024)  /* one generated statement */
#define LIM_KV_BYTES           (4 * 1024 * 1024) /* the control documents (clock, fault rules) */
#define LIM_VPC_CHILDREN       1024         /* vSwitches listed per VPC, VPCs per Describe */
#define LIM_RES_DOC_BYTES      (256 * 1024) /* one generic resource's JSON document */

#endif
