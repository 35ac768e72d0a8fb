#!/bin/sh
# Upload container of a BackupCronJob with an S3 target: copies the newest dump written by the
# dump init container (in BACKUP_DIR, an emptyDir) to s3://S3_BUCKET/S3_PREFIX/<name>.
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (Secret references).
# Old objects are removed by a bucket lifecycle rule, not by this job.
set -eu
export LC_ALL=C

: "${BACKUP_DIR:=/backups}"
: "${DUMP_PREFIX:?DUMP_PREFIX must name the dump files, e.g. orders-db}"
: "${DUMP_EXTENSION:?DUMP_EXTENSION must be set, e.g. .sql.gz}"
: "${S3_BUCKET:?S3_BUCKET must name the bucket}"
: "${S3_PREFIX:=}"
: "${S3_ENDPOINT:=}"
: "${S3_ADDRESSING_STYLE:=auto}"
: "${AWS_CLI:=aws}"

# HOME is an emptyDir (the root filesystem is read-only); the CLI reads its settings from there.
mkdir -p "$HOME/.aws"
printf '[default]\ns3 =\n  addressing_style = %s\n' "$S3_ADDRESSING_STYLE" > "$HOME/.aws/config"

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
set --
if [ -n "$S3_ENDPOINT" ]; then set -- --endpoint-url "$S3_ENDPOINT"; fi
"$AWS_CLI" "$@" s3 cp --only-show-errors "$newest" "s3://$S3_BUCKET/$key"
echo "upload: copied $name to s3://$S3_BUCKET/$key"
