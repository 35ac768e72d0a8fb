#!/bin/sh
# Upload container of a BackupCronJob with an S3 target: copies the newest dump written by the
# dump init container (in BACKUP_DIR, an emptyDir) to s3://S3_BUCKET/S3_PREFIX/<name>.
# Credentials are read from the mounted Secret by s3-common.sh.
# Old objects are removed by a bucket lifecycle rule, not by this job.
set -eu
export LC_ALL=C

# shellcheck source=/dev/null
. "${SCRIPTS_DIR:-/opt/cdk8s-workloads/backup}/s3-common.sh"

newest=''
for dump in "$BACKUP_DIR/$DUMP_PREFIX"-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z"$DUMP_EXTENSION"; do
  [ -f "$dump" ] && newest="$dump"
done
if [ -z "$newest" ]; then
  echo "upload: no dump of $DUMP_PREFIX in $BACKUP_DIR" >&2
  exit 1
fi

name="${newest##*/}"
key="${S3_PREFIX:+$S3_PREFIX/}$name"
"$AWS_CLI" "$@" s3 cp --only-show-errors "$newest" "s3://$S3_BUCKET/$key"
echo "upload: copied $name to s3://$S3_BUCKET/$key"
