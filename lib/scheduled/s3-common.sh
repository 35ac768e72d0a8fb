#!/bin/sh
# Sourced by upload.sh and download.sh: S3 settings from the environment (the manifest's
# values as defaults), the AWS CLI's config, and the endpoint as the CLI's leading arguments.
# Credentials are files, not pod env: the Secret is mounted read-only at S3_CREDENTIALS_DIR
# (files access-key-id and secret-access-key); they are exported to this process and the CLI
# it runs only, so they never appear in the pod spec or on a disk.

: "${BACKUP_DIR:=/backups}"
: "${DUMP_PREFIX:?DUMP_PREFIX must name the dump files, e.g. orders-db}"
: "${DUMP_EXTENSION:?DUMP_EXTENSION must be set, e.g. .sql.gz}"
: "${S3_BUCKET:?S3_BUCKET must name the bucket}"
: "${S3_PREFIX:=}"
: "${S3_ENDPOINT:=}"
: "${S3_ADDRESSING_STYLE:=auto}"
: "${S3_CREDENTIALS_DIR:=/var/run/secrets/s3-credentials}"
: "${AWS_CLI:=aws}"

for file in access-key-id secret-access-key; do
  if [ ! -r "$S3_CREDENTIALS_DIR/$file" ] || [ ! -s "$S3_CREDENTIALS_DIR/$file" ]; then
    echo "s3: $S3_CREDENTIALS_DIR/$file is missing, unreadable or empty (the credentials Secret is mounted there)" >&2
    exit 1
  fi
done
# $(cat) drops the trailing newline `echo ... | kubectl create secret` leaves behind.
AWS_ACCESS_KEY_ID=$(cat "$S3_CREDENTIALS_DIR/access-key-id")
AWS_SECRET_ACCESS_KEY=$(cat "$S3_CREDENTIALS_DIR/secret-access-key")
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
# No session token or profile from elsewhere may override the mounted credentials.
unset AWS_SESSION_TOKEN AWS_PROFILE

# HOME is an emptyDir (the root filesystem is read-only); the CLI reads its settings from there.
mkdir -p "$HOME/.aws"
printf '[default]\ns3 =\n  addressing_style = %s\n' "$S3_ADDRESSING_STYLE" > "$HOME/.aws/config"

set --
if [ -n "$S3_ENDPOINT" ]; then set -- --endpoint-url "$S3_ENDPOINT"; fi
