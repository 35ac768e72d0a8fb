#!/bin/sh
# Sourced by upload.sh and download.sh: S3 settings from the environment (the manifest's
# values as defaults), the AWS CLI's config, and the endpoint as the CLI's leading arguments.
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (Secret references).

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

set --
if [ -n "$S3_ENDPOINT" ]; then set -- --endpoint-url "$S3_ENDPOINT"; fi
