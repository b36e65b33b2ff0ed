#!/bin/sh
# Runs once in the minio-init service (docker/compose.yaml): creates the extracts bucket and a
# portal user whose policy covers that bucket only. Idempotent. Credentials come from the
# environment (docker/.env), never from this file.
set -eu
: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${PORTAL_S3_ACCESS_KEY:?}" "${PORTAL_S3_SECRET_KEY:?}" "${EXTRACTS_BUCKET:?}"

mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "local/$EXTRACTS_BUCKET"

policy=/tmp/extractportal-policy.json
cat >"$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::$EXTRACTS_BUCKET"] },
    { "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], "Resource": ["arn:aws:s3:::$EXTRACTS_BUCKET/*"] }
  ]
}
JSON
mc admin policy create local extractportal "$policy"
mc admin user add local "$PORTAL_S3_ACCESS_KEY" "$PORTAL_S3_SECRET_KEY" >/dev/null
mc admin policy attach local extractportal --user "$PORTAL_S3_ACCESS_KEY" >/dev/null 2>&1 || true
echo "minio-init: bucket $EXTRACTS_BUCKET and its portal user are ready"
