#!/bin/sh
# Download init container of a RestoreJob with an S3 target: copies one dump from
# s3://S3_BUCKET/S3_PREFIX/ into BACKUP_DIR (an emptyDir): DUMP_NAME when set, otherwise the
# newest object whose name matches <DUMP_PREFIX>-<UTC timestamp><DUMP_EXTENSION>.
set -eu
export LC_ALL=C

: "${DUMP_NAME:=}"
# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads/backup}/s3-common.sh"

base="${S3_PREFIX:+$S3_PREFIX/}"

name="$DUMP_NAME"
if [ -z "$name" ]; then
  # Keys end in a fixed-width UTC timestamp: the last in name order is the newest.
  name=$("$AWS_CLI" "$@" s3api list-objects-v2 --bucket "$S3_BUCKET" --prefix "$base$DUMP_PREFIX-" \
      --query 'Contents[].Key' --output text \
    | tr '\t' '\n' | sed 's|.*/||' \
    | grep -E "^$DUMP_PREFIX-[0-9]{8}T[0-9]{6}Z$(printf '%s' "$DUMP_EXTENSION" | sed 's/[.]/[.]/g')\$" \
    | sort | tail -n 1) || true
  if [ -z "$name" ]; then
    echo "download: no dump of $DUMP_PREFIX under s3://$S3_BUCKET/$base" >&2
    exit 1
  fi
fi
case "$name" in
  */*|.*) echo "download: DUMP_NAME must be a file name, not a path (got $name)" >&2; exit 1 ;;
esac

mkdir -p "$BACKUP_DIR"
"$AWS_CLI" "$@" s3 cp --only-show-errors "s3://$S3_BUCKET/$base$name" "$BACKUP_DIR/$name"
echo "download: copied s3://$S3_BUCKET/$base$name to $BACKUP_DIR/$name"
