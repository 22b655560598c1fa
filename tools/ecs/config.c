/* config.c - where ecs takes its key, region and endpoint: flags > env
 * (ALIBABA_CLOUD_*) > profile in ~/.aliyun/config.json (aliyun CLI format)
 * > built-in development default. Never prints or logs a secret. */
#include "ecs.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "../../src/auth/auth.h"

/* One profile's fields (empty strings count as absent, as aliyun writes
 * every key of every profile). */
struct cfg_profile {
	const char *name, *mode, *akid, *secret, *sts, *region, *endpoint;
	double connect_timeout, read_timeout; /* seconds; 0 = unset */
	long retry_count;                     /* -1 = unset */
};

static const char *cfg_nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static const char *cfg_env(const char *name)
{
	return cfg_nonempty(getenv(name));
}

static const char *cfg_jstr(struct arena *a, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	return arena_strdup(a, json_string_value(v));
}

/* Number or numeric string; 0 when absent or unusable. */
static double cfg_jnum(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	char *end;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	if (!json_is_string(v))
		return 0;
	d = strtod(json_string_value(v), &end);
	return *end == '\0' && isfinite(d) ? d : 0;
}

/* Reads and parses the file; *root NULL when an optional file is absent.
 * Returns 0, or -1 with err. */
static int cfg_load(const char *path, int required, json_t **root,
                    char *err, size_t errlen)
{
	struct stat st;
	json_error_t je;
	FILE *f;

	*root = NULL;
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !required)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > ECS_CONFIG_BYTES) {
		snprintf(err, errlen, "%s: not a regular file of at most %d "
		         "bytes", path, ECS_CONFIG_BYTES);
		fclose(f);
		return -1;
	}
	*root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!*root || !json_is_object(*root)) {
		snprintf(err, errlen, "%s:%d: %s", path, je.line,
		         *root ? "not a JSON object" : je.text);
		json_decref(*root);
		*root = NULL;
		return -1;
	}
	return 0;
}

/* Picks the profile: --profile > ALIBABA_CLOUD_PROFILE > "current" >
 * "default". An explicitly named profile must exist. */
static int cfg_pick(struct arena *a, const struct ecs_opts *o, json_t *root,
                    struct cfg_profile *p, char *err, size_t errlen)
{
	const char *want = o->profile, *cur;
	json_t *list, *it;
	size_t i;
	int must = 1;

	if (!want)
		want = cfg_env("ALIBABA_CLOUD_PROFILE");
	cur = root ? json_string_value(json_object_get(root, "current")) : NULL;
	if (!want && cfg_nonempty(cur))
		want = cur;
	if (!want) {
		want = "default";
		must = 0;
	}
	list = root ? json_object_get(root, "profiles") : NULL;
	json_array_foreach(list, i, it) {
		const char *name = json_string_value(json_object_get(it, "name"));

		if (!json_is_object(it) || !name || strcmp(name, want) != 0)
			continue;
		p->name = arena_strdup(a, name);
		p->mode = cfg_jstr(a, it, "mode");
		p->akid = cfg_jstr(a, it, "access_key_id");
		p->secret = cfg_jstr(a, it, "access_key_secret");
		p->sts = cfg_jstr(a, it, "sts_token");
		p->region = cfg_jstr(a, it, "region_id");
		p->endpoint = cfg_jstr(a, it, "endpoint");
		p->connect_timeout = cfg_jnum(it, "connect_timeout");
		p->read_timeout = cfg_jnum(it, "read_timeout");
		if (json_object_get(it, "retry_count"))
			p->retry_count = (long)cfg_jnum(it, "retry_count");
		return 0;
	}
	if (!must)
		return 0;
	snprintf(err, errlen, "profile '%s' not found%s", want,
	         root ? "" : " (no configuration file)");
	return -1;
}

/* Seconds text -> milliseconds; dflt when s is NULL. -1 when invalid. */
static long cfg_ms(const char *s, double profile_s, double dflt_s)
{
	double d = profile_s > 0 ? profile_s : dflt_s;
	char *end;

	if (s) {
		d = strtod(s, &end);
		if (end == s || *end || !isfinite(d))
			return -1;
	}
	if (!(d > 0) || d > 3600)
		return -1;
	return (long)(d * 1000.0 + 0.5);
}

static int cfg_is_loopback(const char *host, size_t n)
{
	static const char *const names[] = { "localhost", "::1", "[::1]" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncasecmp(host, names[i], n) == 0)
			return 1;
	return n >= 4 && strncmp(host, "127.", 4) == 0;
}

/* --endpoint text -> "scheme://hostport/path". */
static const char *cfg_url(struct arena *a, const char *ep, int insecure,
                           int secure, char *err, size_t errlen)
{
	const char *scheme = NULL, *rest = ep, *path, *p;
	size_t hostlen;

	if (strncasecmp(ep, "http://", 7) == 0) {
		scheme = "http";
		rest = ep + 7;
	} else if (strncasecmp(ep, "https://", 8) == 0) {
		scheme = "https";
		rest = ep + 8;
	}
	path = strchr(rest, '/');
	if (!path)
		path = rest + strlen(rest);
	for (p = ep; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '?' || *p == '#' ||
		    *p == '@' || (unsigned char)*p == 0x7f)
			break;
	if (path == rest || *p) {
		snprintf(err, errlen, "bad endpoint '%s' (want HOST[:PORT] or "
		         "http(s)://HOST[:PORT])", ep);
		return NULL;
	}
	/* host without the port, for the loopback test */
	if (rest[0] == '[') {
		p = memchr(rest, ']', (size_t)(path - rest));
		hostlen = p ? (size_t)(p - rest) + 1 : (size_t)(path - rest);
	} else {
		p = memchr(rest, ':', (size_t)(path - rest));
		hostlen = p ? (size_t)(p - rest) : (size_t)(path - rest);
	}
	if (insecure)
		scheme = "http";
	else if (secure)
		scheme = "https";
	else if (!scheme)
		scheme = cfg_is_loopback(rest, hostlen) ? "http" : "https";
	return arena_printf(a, "%s://%.*s%s", scheme, (int)(path - rest), rest,
	                    *path ? path : "/");
}

static const char *cfg_config_path(struct arena *a, const struct ecs_opts *o,
                                   int *required)
{
	const char *home;

	*required = 1;
	if (o->config_path)
		return o->config_path;
	if (cfg_env("ALIBABA_CLOUD_CONFIG_FILE"))
		return cfg_env("ALIBABA_CLOUD_CONFIG_FILE");
	*required = 0;
	home = cfg_env("HOME");
	return home ? arena_printf(a, "%s/.aliyun/config.json", home) : NULL;
}

/* Key id, secret and token: each from the first source that has it. The
 * token follows the key id's source (a profile's token never signs a
 * flag's key). */
static int cfg_keys(const struct ecs_opts *o, const struct cfg_profile *p,
                    struct ecs_cfg *cfg, char *err, size_t errlen)
{
	const char *env_id = cfg_env("ALIBABA_CLOUD_ACCESS_KEY_ID");
	const char *env_secret = cfg_env("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
	const char *env_sts = cfg_env("ALIBABA_CLOUD_SECURITY_TOKEN");

	if (o->akid) {
		cfg->akid = o->akid;
		cfg->sts_token = o->sts_token;
	} else if (env_id) {
		cfg->akid = env_id;
		cfg->sts_token = o->sts_token ? o->sts_token : env_sts;
	} else if (p->akid) {
		cfg->akid = p->akid;
		cfg->sts_token = o->sts_token ? o->sts_token : p->sts;
	} else {
		cfg->akid = AUTH_DEV_AKID;
		cfg->sts_token = o->sts_token;
	}
	if (o->secret)
		cfg->secret = o->secret;
	else if (env_secret)
		cfg->secret = env_secret;
	else if (p->secret)
		cfg->secret = p->secret;
	else
		cfg->secret = AUTH_DEV_SECRET;
	if (!o->akid && !env_id && p->name && p->mode &&
	    strcmp(p->mode, "AK") != 0 && strcmp(p->mode, "StsToken") != 0) {
		snprintf(err, errlen, "profile '%s': mode %s is not supported "
		         "(AK and StsToken are)", p->name, p->mode);
		return -1;
	}
	if (!*cfg->akid || !*cfg->secret) {
		snprintf(err, errlen, "empty access key id or secret");
		return -1;
	}
	if (cfg->sts_token && !*cfg->sts_token)
		cfg->sts_token = NULL;
	return 0;
}

int ecs_config_resolve(struct arena *a, const struct ecs_opts *o,
                       struct ecs_cfg *cfg, char *err, size_t errlen)
{
	struct cfg_profile p;
	const char *path, *ep;
	json_t *root = NULL;
	int required, rc;
	char *end;

	memset(cfg, 0, sizeof(*cfg));
	memset(&p, 0, sizeof(p));
	p.retry_count = -1;
	path = cfg_config_path(a, o, &required);
	if (path && cfg_load(path, required, &root, err, errlen))
		return -1;
	rc = cfg_pick(a, o, root, &p, err, errlen);
	json_decref(root);
	if (rc || cfg_keys(o, &p, cfg, err, errlen))
		return -1;
	cfg->profile = p.name;

	cfg->region = o->region ? o->region : cfg_env("ALIBABA_CLOUD_REGION_ID");
	if (!cfg->region)
		cfg->region = p.region ? p.region : ECS_DEFAULT_REGION;
	if (!*cfg->region) {
		snprintf(err, errlen, "--region is empty");
		return -1;
	}

	ep = o->endpoint ? o->endpoint : p.endpoint;
	cfg->url = cfg_url(a, ep ? ep : ECS_DEFAULT_ENDPOINT, o->insecure,
	                   o->secure, err, errlen);
	if (!cfg->url)
		return -1;

	cfg->method = "POST";
	if (o->method && strcasecmp(o->method, "GET") == 0)
		cfg->method = "GET";
	else if (o->method && strcasecmp(o->method, "POST") != 0) {
		snprintf(err, errlen, "--method must be GET or POST");
		return -1;
	}

	cfg->connect_timeout_ms = cfg_ms(o->connect_timeout, p.connect_timeout,
	                                 10);
	cfg->total_timeout_ms = cfg_ms(o->read_timeout, p.read_timeout, 30);
	if (cfg->connect_timeout_ms < 0 || cfg->total_timeout_ms < 0) {
		snprintf(err, errlen, "timeouts are seconds in (0, 3600]");
		return -1;
	}
	cfg->retry_count = p.retry_count > 0 ? (int)p.retry_count : 0;
	if (o->retry_count) {
		long n = strtol(o->retry_count, &end, 10);

		if (end == o->retry_count || *end || n < 0 || n > 10) {
			snprintf(err, errlen, "--retry-count must be 0..10");
			return -1;
		}
		cfg->retry_count = (int)n;
	}
	if (cfg->retry_count > 10)
		cfg->retry_count = 10;
	cfg->verbose = o->verbose;
	return 0;
}
