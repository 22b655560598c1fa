#!/usr/bin/env bash
# mkman.sh - writes the man pages ecsd(8) and ecs(1) from what the binaries
# themselves print: `ecsd --help` (its flags) and `ecs help` (the Action
# tables of every product, the client's flags). Nothing is written by hand
# twice, so the pages never drift from the code.
#   tools/mkman.sh BUILD_DIR OUT_DIR VERSION
set -euo pipefail
B=$1 OUT=$2 VERSION=${3:-0}
mkdir -p "$OUT"
DATE=$(date -u +%Y-%m-%d)

# roff-escape stdin: backslashes, and leading dots/quotes of lines
esc() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

{
	echo ".TH ECSD 8 \"$DATE\" \"ecsd $VERSION\" \"ecsd manual\""
	echo ".SH NAME"
	echo "ecsd \\- an Alibaba Cloud ECS, VPC and SLB control plane on your own machine"
	echo ".SH SYNOPSIS"
	echo ".B ecsd"
	echo "[options]"
	echo ".SH DESCRIPTION"
	echo "ecsd serves the Alibaba Cloud ECS API (and the products chosen by"
	echo ".IR Version )"
	echo "on one HTTP endpoint, with real signatures, so that SDKs, the aliyun CLI"
	echo "and Terraform work against it unchanged. State lives in SQLite (default)"
	echo "or in a PostgreSQL database shared by several nodes."
	echo ".SH OPTIONS"
	echo ".nf"
	"$B/ecsd" --help | sed 1d | esc
	echo ".fi"
	echo ".SH SIGNALS"
	echo "SIGTERM or SIGINT stop ecsd gracefully: it stops accepting, lets requests"
	echo "in flight finish, and exits."
	echo ".SH FILES"
	echo ".TP"
	echo ".I DATA_DIR/control.token"
	echo "the control API's token when none is given (mode 0600)"
	echo ".SH SEE ALSO"
	echo ".BR ecs (1)"
} >"$OUT/ecsd.8"

{
	echo ".TH ECS 1 \"$DATE\" \"ecsd $VERSION\" \"ecsd manual\""
	echo ".SH NAME"
	echo "ecs \\- command-line client for ecsd and Alibaba Cloud, aliyun CLI syntax"
	echo ".SH DESCRIPTION"
	echo ".nf"
	"$B/ecs" help | esc
	echo ".fi"
	echo ".SH SEE ALSO"
	echo ".BR ecsd (8)"
} >"$OUT/ecs.1"
