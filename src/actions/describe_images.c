/* describe_images.c - DescribeImages: the public (system) images of the
 * fixed catalog, filtered and paged. ecsd has no custom, shared or
 * marketplace images, so those owners answer an empty list. */
#include "act.h"
#include "../model/catalog.h"
#include <stdio.h>
#include <string.h>


struct img_filter {
	const char *ids, *name, *family, *os_type, *arch, *type;
	const char *created_from, *created_to;   /* "yyyy-MM-ddTHH:mmZ" */
	int none;                                /* nothing can match */
};

/* 1 if item is one of the comma-separated values of list. */
static int in_csv(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && strncmp(p, item, n) == 0)
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

static int time_ok(const char *s)
{
	int y, mo, d, h, mi;
	char z;

	return strlen(s) == 17 && sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &z) == 6 &&
	       z == 'Z' && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60;
}

static enum err_id parse_filters(struct req *r, struct img_filter *f)
{
	const char *owner = param_str(r, PARAM_ImageOwnerAlias, "");
	const char *status = param_str(r, PARAM_Status, "Available");

	memset(f, 0, sizeof(*f));
	if (*owner && !in_csv("system,self,others,marketplace", owner))
		return api_raise(r, ERR_INVALID_PARAMETER, "ImageOwnerAlias");
	f->none = *owner && strcmp(owner, "system") != 0;
	if (!in_csv(status, "Available") && !in_csv(status, "ALL"))
		f->none = 1;
	for (int k = 1; k <= 2; k++) {
		const char *key = param_subfield(r, arena_printf(&r->arena, "Filter.%d.Key", k));
		const char *val = param_subfield(r, arena_printf(&r->arena, "Filter.%d.Value", k));

		if (!key)
			continue;
		if (strcmp(key, "CreationStartTime") && strcmp(key, "CreationEndTime"))
			return api_raise(r, ERR_INVALID_FILTER_KEY_NOT_FOUND, NULL);
		if (!val || !time_ok(val))
			return api_raise(r, ERR_INVALID_PARAMETER, arena_printf(&r->arena, "Filter.%d.Value", k));
		if (key[8] == 'S')
			f->created_from = val;
		else
			f->created_to = val;
	}
	f->ids = param_str(r, PARAM_ImageId, NULL);
	f->name = param_str(r, PARAM_ImageName, NULL);
	f->family = param_str(r, PARAM_ImageFamily, NULL);
	f->os_type = param_str(r, PARAM_OSType, NULL);
	f->arch = param_str(r, PARAM_Architecture, NULL);
	f->type = param_str(r, PARAM_InstanceType, NULL);
	if (f->type && *f->type && !catalog_type_find(f->type))
		f->none = 1;
	if (param_given(r, PARAM_SnapshotId) || param_subfield(r, "Tag.1.Key") ||
	    !param_bool(r, PARAM_IsPublic, 1) || !param_bool(r, PARAM_IsSupportIoOptimized, 1) ||
	    !param_bool(r, PARAM_IsSupportCloudinit, 1))
		f->none = 1;   /* system images: no source snapshot, no tags */
	return ERR_OK;
}

static int img_match(const struct img_filter *f, const struct cat_image *im)
{
	if (f->none)
		return 0;
	if (f->ids && *f->ids && !in_csv(f->ids, im->id))
		return 0;
	if (f->name && *f->name && !strstr(im->id, f->name))
		return 0;
	if (f->family && *f->family && strcmp(f->family, im->family))
		return 0;
	if (f->os_type && *f->os_type && strcmp(f->os_type, im->os_type))
		return 0;
	if (f->arch && *f->arch && strcmp(f->arch, "x86_64"))
		return 0;
	if (f->created_from && strncmp(im->created, f->created_from, 16) < 0)
		return 0;
	if (f->created_to && strncmp(im->created, f->created_to, 16) > 0)
		return 0;
	return 1;
}

static void emit_image(struct reply *rp, const struct cat_image *im)
{
	char size[16];

	snprintf(size, sizeof(size), "%d", im->size_gb);
	reply_obj_begin(rp, NULL);
	reply_str(rp, "ImageId", im->id);
	reply_str(rp, "ImageName", im->id);
	reply_str(rp, "ImageFamily", im->family);
	reply_str(rp, "ImageVersion", "");
	reply_str(rp, "ImageOwnerAlias", "system");
	reply_int(rp, "ImageOwnerId", 0);
	reply_str(rp, "Description", "");
	reply_str(rp, "OSName", im->os_name);
	reply_str(rp, "OSNameEn", im->os_name_en);
	reply_str(rp, "OSType", im->os_type);
	reply_str(rp, "Platform", im->platform);
	reply_str(rp, "Architecture", "x86_64");
	reply_int(rp, "Size", im->size_gb);
	reply_str(rp, "Status", "Available");
	reply_str(rp, "Progress", "100%");
	reply_str(rp, "Usage", "instance");
	reply_str(rp, "CreationTime", im->created);
	reply_str(rp, "IsSelfShared", "");
	reply_bool(rp, "IsSubscribed", 0);
	reply_bool(rp, "IsCopied", 0);
	reply_bool(rp, "IsPublic", 1);
	reply_bool(rp, "IsSupportIoOptimized", 1);
	reply_bool(rp, "IsSupportCloudinit", 1);
	reply_bool(rp, "Usable", 1);
	reply_bool(rp, "LoginAsNonRootSupported", strcmp(im->os_type, "linux") == 0);
	reply_str(rp, "ProductCode", "");
	reply_str(rp, "BootMode", "BIOS");
	reply_str(rp, "LicenseType", "");
	reply_list_begin(rp, "DiskDeviceMappings", "DiskDeviceMapping");
	reply_obj_begin(rp, NULL);
	reply_str(rp, "Device", "/dev/xvda");
	reply_str(rp, "Size", size);
	reply_str(rp, "SnapshotId", "");
	reply_str(rp, "Type", "system");
	reply_str(rp, "Format", "");
	reply_obj_end(rp);
	reply_list_end(rp);
	reply_list_begin(rp, "Tags", "Tag");
	reply_list_end(rp);
	reply_obj_begin(rp, "Features");
	reply_str(rp, "NvmeSupport", "supported");
	reply_obj_end(rp);
	reply_obj_end(rp);
}

enum err_id act_describe_images(struct req *r)
{
	int n;
	const struct cat_image *im = catalog_images(&n);
	long long page = param_int(r, PARAM_PageNumber, 1), size = param_int(r, PARAM_PageSize, 10);
	long long skip = (page - 1) * size, total = 0;
	struct img_filter f;
	struct reply *rp = &r->reply;
	enum err_id rc;

	if ((rc = parse_filters(r, &f)) != ERR_OK)
		return rc;
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	reply_str(rp, "RegionId", param_str(r, PARAM_RegionId, ""));
	reply_list_begin(rp, "Images", "Image");
	for (int i = 0; i < n; i++) {
		if (!img_match(&f, &im[i]))
			continue;
		if (total >= skip && total < skip + size)
			emit_image(rp, &im[i]);
		total++;
	}
	reply_list_end(rp);
	reply_int(rp, "TotalCount", total);
	reply_int(rp, "PageNumber", page);
	reply_int(rp, "PageSize", size);
	return ERR_OK;
}
