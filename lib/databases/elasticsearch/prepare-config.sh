#!/bin/sh
# Init container: the root filesystem is read-only, but the server writes its config directory
# (the keystore, the security plugin's files). Copy the image's config directory into an emptyDir
# and put our settings file over the image's.
set -eu
from="${ES_HOME:?}/config"
to="${CONFIG_TARGET:?}"
cp -R "$from/." "$to/"
cp "${SETTINGS_DIR:?}/${SETTINGS_FILE:?}" "$to/$SETTINGS_FILE"
echo "prepare-config: copied $from to $to with $SETTINGS_FILE from $SETTINGS_DIR"
