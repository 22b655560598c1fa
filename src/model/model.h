/* model.h - ECS resources as plain structs and the pure rules over them:
 * instance state machine, status derived from the clock, release plan.
 * No I/O, no SQL, no HTTP here. */
#ifndef ECSD_MODEL_H
#define ECSD_MODEL_H
#include <stdint.h>
#include <stddef.h>
#include "../common/error.h"

#define ID_LEN 32 /* "i-" + 20 chars fits with room; NUL included */
#define INST_SG_MAX 5           /* security groups per instance */
#define INST_SG_IDS (INST_SG_MAX * ID_LEN) /* their ids, comma-separated */

/* Instance statuses, in the order of the API enumeration. */
enum inst_status {
	INST_PENDING = 0,
	INST_STARTING,
	INST_RUNNING,
	INST_STOPPING,
	INST_STOPPED,
	INST__COUNT
};

/* Control-API flags: states real ECS reaches outside the public API. */
enum inst_flag {
	IF_LOCK_SECURITY   = 1u << 0, /* OperationLocks: security */
	IF_LOCK_FINANCIAL  = 1u << 1, /* OperationLocks: financial */
	IF_SLB_CONFIGURING = 1u << 2, /* an SLB that references it is configuring */
	IF_ROUTE_ENTRY     = 1u << 3, /* a VPC route entry points at it */
	IF_NOT_IN_WHITELIST= 1u << 4, /* account not white-listed for release */
	IF_HOLD_INIT       = 1u << 5, /* held in initialisation (Pending) */
	IF_VOLUMES_BLOCK   = 1u << 6, /* "still attached by volumes" */
	IF_FAIL_RELEASE    = 1u << 7, /* fault injection: release fails midway */
};

enum charge_type { CHARGE_POSTPAID = 0, CHARGE_PREPAID = 1 };

struct instance {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char zone[40];
	char name[129];
	char description[257];
	char hostname[65];
	char instance_type[64];
	char image_id[128];
	char stopped_mode[16];     /* KeepCharging | StopCharging | Not-applicable */
	/* Status schedule: p1 until p1_end_ms, then p2 until p2_end_ms, then
	 * status. Times are epoch ms; 0 means that phase is over. */
	int status;                /* enum inst_status, the settled status */
	int p1_status, p2_status;
	int64_t p1_end_ms, p2_end_ms;
	int charge;                /* enum charge_type */
	int64_t expired_ms;        /* PrePaid expiry; 0 for PostPaid */
	int deletion_protection;
	uint32_t flags;            /* enum inst_flag */
	int64_t created_ms;
	int64_t started_ms;
	/* issue 13 (schema: SQLite 4, PostgreSQL 3) */
	char key_pair_name[129];   /* bound key pair, or "" */
	int64_t auto_release_ms;   /* scheduled release (minute), 0 = none */
	/* Network (issues 12, 13): columns of the instance row, so that
	 * DescribeInstances stays one statement. "" / 0 for instances made
	 * before schema version 6 (PostgreSQL 5). */
	char vpc_id[ID_LEN];
	char vswitch_id[ID_LEN];
	char private_ip[16];       /* primary private address */
	char eni_id[ID_LEN];       /* primary network interface */
	char mac[18];              /* its MAC address */
	char sg_ids[INST_SG_IDS];  /* security groups, comma-separated, in order */
	char public_ip[16];        /* system public address ("" unless
	                              InternetMaxBandwidthOut > 0) */
	int bandwidth_out;         /* InternetMaxBandwidthOut, Mbit/s */
	char eip_id[ID_LEN];       /* associated EIP's AllocationId, or "" */
	char eip_ip[16];
	int eip_bandwidth;
	char eip_charge[16];       /* PayByBandwidth | PayByTraffic */
	int64_t seq;               /* store-assigned creation order; paging key */
};

struct disk {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char zone[40];
	char instance_id[ID_LEN];  /* "" when not attached */
	char type[8];              /* system | data */
	char category[32];
	int size_gb;
	char name[129];
	char description[257];
	char device[32];
	char image_id[128];
	char source_snapshot_id[ID_LEN];
	int delete_with_instance;
	int delete_auto_snapshot;
	int enable_auto_snapshot;
	int portable;
	int charge;                /* enum charge_type */
	int ever_attached;
	int64_t created_ms, attached_ms, detached_ms;
	int64_t seq;
};

enum snap_status { SNAP_PROGRESSING = 0, SNAP_ACCOMPLISHED, SNAP_FAILED };

struct snapshot {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char name[129];
	char description[257];
	int is_auto;               /* SnapshotType auto (1) or user (0) */
	char source_disk_id[ID_LEN];
	int source_disk_size;
	char source_disk_type[8];
	int status;                /* enum snap_status */
	int retention_days;        /* 0 = keep */
	int64_t created_ms;
	int64_t seq;
};

/* --- names and enums --- */
const char *inst_status_name(int s);        /* "Running", ... */
int inst_status_parse(const char *s);       /* -1 if unknown */
const char *charge_name(int c);             /* "PostPaid" | "PrePaid" */
int charge_parse(const char *s);            /* -1 if unknown */

/* A subscription's term: period units of "Month" (1-9, 12, 24, 36, 48, 60)
 * or "Week" (1-4). Sets *ms. ERR_OK, ERR_INVALID_PERIOD, or
 * ERR_INVALID_PARAMETER for an unknown unit. */
enum err_id charge_term_ms(const char *unit, long long period, int64_t *ms);

/* --- status over time (habit 8: the state machine is data) --- */
/* 1 if in is a subscription whose term has ended at now_ms. */
int inst_expired(const struct instance *in, int64_t now_ms);
/* The status the user sees at now_ms (an expired subscription: Stopped). */
int inst_status_at(const struct instance *in, int64_t now_ms);
/* Transition names, one row each in model/instance.c. */
enum inst_trans {
	TR_CREATE_RUN,   /* RunInstances: Pending -> Starting -> Running */
	TR_CREATE_STOP,  /* CreateInstance: Pending -> Stopped */
	TR_START,        /* Stopped -> Starting -> Running */
	TR_STOP,         /* Running -> Stopping -> Stopped */
	TR_REBOOT,       /* Running -> Starting -> Running */
};
/* Checks that the transition is allowed from the status at now_ms, then
 * sets the schedule (delay_ms per transient phase). Returns ERR_OK or the
 * API error for a status that does not allow it. Logs "A -> B". */
enum err_id inst_enter(struct instance *in, enum inst_trans t, int64_t now_ms,
                       int64_t delay_ms);

/* --- release (DeleteInstance) --- */
struct release_opts {
	int force;
	int force_stop;
	int terminate_subscription;
};
/* Every refusal of the seed page, in the documented check order. Pure:
 * looks only at the instance, the options and the clock. */
enum err_id release_check(const struct instance *in,
                          const struct release_opts *o, int64_t now_ms);

/* What happens to one attached disk at release. */
enum disk_fate { FATE_RELEASE, FATE_KEEP };
enum disk_fate release_disk_fate(const struct instance *in, const struct disk *d);
/* Whether an automatic snapshot of a released disk is deleted. */
int release_drops_auto_snapshots(const struct disk *d);
/* Turns an attached disk into a kept, detached, pay-as-you-go disk. */
void release_keep_disk(struct disk *d, int64_t now_ms);

/* --- ids and time --- */
/* prefix + 20 chars of [0-9a-z] from the CSPRNG, e.g. "i-", "d-", "s-". */
void model_new_id(char out[ID_LEN], const char *prefix);
/* 1 if s looks like prefix followed by 1..40 of [0-9a-z]. */
int model_id_valid(const char *s, const char *prefix);
/* "2024-03-01T08:00Z" (minute precision) / "2024-03-01T08:00:00Z". */
void model_fmt_minute(char out[32], int64_t ms);
void model_fmt_second(char out[32], int64_t ms);

#endif
