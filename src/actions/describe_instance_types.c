/* describe_instance_types.c - DescribeInstanceTypes (no RegionId: the
 * catalog is global): filters and NextToken paging over the fixed table
 * of model/catalog.c. */
#include "act.h"
#include "../model/catalog.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int dbl_arg(struct req *r, enum param_id name, double *out)
{
	const char *s = param_str(r, name, NULL);
	char *end;

	*out = -1;
	if (!s || !*s)
		return 0;
	*out = strtod(s, &end);
	return *end || *out < 0 ? -1 : 0;
}

static int type_match(struct req *r, const struct cat_type *t, double min_mem,
                      double max_mem)
{
	const struct pval *ids = param_val(r, PARAM_InstanceTypes);
	const char *fam = param_str(r, PARAM_InstanceTypeFamily, "");
	const char *lvl = param_str(r, PARAM_InstanceFamilyLevel, "");
	const char *arch = param_str(r, PARAM_CpuArchitecture, "");
	int hit = ids->nlist == 0;

	for (size_t i = 0; i < ids->nlist && !hit; i++)
		hit = strcmp(ids->list[i], t->id) == 0;
	if (!hit || (*fam && strcmp(fam, t->family)) || (*lvl && strcmp(lvl, t->level)))
		return 0;
	if (*arch && strcmp(arch, "X86"))
		return 0;
	if (t->cores < param_int(r, PARAM_MinimumCpuCoreCount, 0) ||
	    t->cores > param_int(r, PARAM_MaximumCpuCoreCount, 1 << 20))
		return 0;
	if ((min_mem >= 0 && t->memory_gib < min_mem) || (max_mem >= 0 && t->memory_gib > max_mem))
		return 0;
	return t->eni >= param_int(r, PARAM_MinimumEniQuantity, 0);
}

static void emit_type(struct reply *rp, const struct cat_type *t)
{
	reply_obj_begin(rp, NULL);
	reply_str(rp, "InstanceTypeId", t->id);
	reply_str(rp, "InstanceTypeFamily", t->family);
	reply_int(rp, "CpuCoreCount", t->cores);
	reply_num(rp, "MemorySize", t->memory_gib);
	reply_str(rp, "InstanceFamilyLevel", t->level);
	reply_str(rp, "CpuArchitecture", "X86");
	reply_str(rp, "InstanceCategory", catalog_family_find(t->family)->category);
	reply_int(rp, "EniQuantity", t->eni);
	reply_int(rp, "EniPrivateIpAddressQuantity", t->eni_ips);
	reply_int(rp, "EniIpv6AddressQuantity", t->eni_ips);
	reply_int(rp, "EniTotalQuantity", t->eni);
	reply_int(rp, "PrimaryEniQueueNumber", t->cores > 8 ? 8 : t->cores);
	reply_int(rp, "SecondaryEniQueueNumber", t->cores > 8 ? 8 : t->cores);
	reply_int(rp, "MaximumQueueNumberPerEni", t->cores > 8 ? 8 : t->cores);
	reply_int(rp, "TotalEniQueueQuantity", (t->cores > 8 ? 8 : t->cores) * t->eni);
	reply_int(rp, "GPUAmount", 0);
	reply_num(rp, "GPUMemorySize", 0);
	reply_str(rp, "GPUSpec", "");
	reply_int(rp, "LocalStorageAmount", 0);
	reply_int(rp, "LocalStorageCapacity", 0);
	reply_str(rp, "LocalStorageCategory", "");
	reply_int(rp, "InitialCredit", t->initial_credit);
	reply_int(rp, "BaselineCredit", t->baseline_credit);
	reply_int(rp, "InstanceBandwidthRx", t->cores * 1024 * 1024 / 2);
	reply_int(rp, "InstanceBandwidthTx", t->cores * 1024 * 1024 / 2);
	reply_int(rp, "InstancePpsRx", t->cores * 150000);
	reply_int(rp, "InstancePpsTx", t->cores * 150000);
	reply_str(rp, "NvmeSupport", "unsupported");
	reply_bool(rp, "EniTrunkSupported", t->initial_credit == 0);
	reply_bool(rp, "JumboFrameSupport", 0);
	reply_obj_end(rp);
}

enum err_id act_describe_instance_types(struct req *r)
{
	int n, emitted = 0, i = 0;
	const struct cat_type *t = catalog_types(&n);
	long long max = param_int(r, PARAM_MaxResults, 1600);
	const char *tok = param_str(r, PARAM_NextToken, "");
	double min_mem, max_mem;
	struct reply *rp = &r->reply;
	char next[16] = "";

	if (dbl_arg(r, PARAM_MinimumMemorySize, &min_mem) || dbl_arg(r, PARAM_MaximumMemorySize, &max_mem))
		return api_raise(r, ERR_INVALID_PARAMETER, "MemorySize");
	if (*tok) {
		char *end;
		long v = strtol(tok, &end, 10);

		if (*end || v < 1 || v >= n)
			return api_raise(r, ERR_INVALID_NEXT_TOKEN, NULL);
		i = (int)v;
	}
	reply_list_begin(rp, "InstanceTypes", "InstanceType");
	for (; i < n; i++) {
		if (!type_match(r, &t[i], min_mem, max_mem))
			continue;
		if (emitted == max) {
			snprintf(next, sizeof(next), "%d", i);
			break;
		}
		emit_type(rp, &t[i]);
		emitted++;
	}
	reply_list_end(rp);
	reply_str(rp, "NextToken", next);
	return ERR_OK;
}
