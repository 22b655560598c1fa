/* sg.h - what the security group Actions share (sg_common.c): loading a
 * group with its document, reading the rules of a request (Permissions.N.*
 * or the deprecated single-rule fields), the rule list of a document.
 * Rules themselves: model/sgrule.c; storage: net/place.c. */
#ifndef ECSD_ACTIONS_SG_H
#define ECSD_ACTIONS_SG_H
#include "act.h"
#include "../model/sgrule.h"
#include "../net/net.h"

/* The caller's group: 0, ERR_INVALID_SECURITY_GROUP_ID_NOT_FOUND or a store
 * error. *doc (may be NULL) is a new reference. */
int act_sg_load(struct store_tx *tx, struct req *r, const char *id,
                struct sg *out, struct json_t **doc);

/* The rules of the request, parsed (sgrule_parse). n = 0 when none is
 * given. ERR_OK or the API error. */
struct sg_rules {
	struct sgrule *v;
	size_t n;
};
enum err_id act_sg_rules(struct req *r, int egress, struct sg_rules *out);

/* Checks each rule's peer group: the caller's, in the group's VPC.
 * 0 or the API error id. */
int act_sg_peers(struct store_tx *tx, struct req *r, const struct sg *g,
                 const struct sg_rules *rules);

/* Name and description rules of CreateSecurityGroup (NETWORK.md A.2). */
int act_sg_name_ok(const char *s);
int act_sg_desc_ok(const char *s);

/* AuthorizeSecurityGroup(Egress), RevokeSecurityGroup(Egress). */
enum err_id act_sg_authorize(struct req *r, int egress);
enum err_id act_sg_revoke(struct req *r, int egress);

/* JoinSecurityGroup (join=1) and LeaveSecurityGroup (sg_join.c). */
enum err_id act_sg_join(struct req *r, int join);

/* The "rules" array of a group document (borrowed). */
struct json_t *act_sg_rule_array(struct json_t *doc);

#endif
