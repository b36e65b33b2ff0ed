#!/usr/bin/env bash
# Provisions the read-only SFTP server for the external system (run by EC2 user data as root, and
# re-runnable: every step is idempotent).
#   provision-sftp.sh provision      install Mountpoint for S3, mount the extracts read-only, create the
#                                    chrooted SFTP-only user, write sshd_config, restart sshd
#   provision-sftp.sh refresh-key    re-read the authorized key from SSM (a systemd timer runs this)
# Sourcing the file only defines the functions; the test suite renders render_sshd_config with its own
# port and paths and runs Debian's sshd with exactly that text.
set -euo pipefail

# ------------------------------------------------------------------ settings (user data exports them)
SFTP_USER=${SFTP_USER:-extractfeed}
SFTP_PORT=${SFTP_PORT:-22}
SFTP_LISTEN=${SFTP_LISTEN:-0.0.0.0}
CHROOT_DIR=${CHROOT_DIR:-/srv/sftp}                 # root-owned, 0755: the user's "/"
MOUNT_DIR=${MOUNT_DIR:-$CHROOT_DIR/extracts}        # the bucket's <output_prefix>/ mounted read-only
KEYS_DIR=${KEYS_DIR:-/etc/ssh/authorized_keys}      # root-owned keys, outside the user's reach
HOST_KEY_DIR=${HOST_KEY_DIR:-/etc/ssh}
SSHD_CONFIG=${SSHD_CONFIG:-/etc/ssh/sshd_config}
SSHD_PID_FILE=${SSHD_PID_FILE:-/run/sshd.pid}
EXTRACTS_BUCKET=${EXTRACTS_BUCKET:-}
OUTPUT_PREFIX=${OUTPUT_PREFIX:-extracts}
KEY_PARAMETER=${KEY_PARAMETER:-}
AWS_REGION=${AWS_REGION:-us-east-1}
MOUNTPOINT_RPM_URL=${MOUNTPOINT_RPM_URL:-https://s3.amazonaws.com/mountpoint-s3-release/latest/x86_64/mount-s3.rpm}

log() { echo "provision-sftp: $*" >&2; }

# The complete sshd configuration: SFTP only, read-only, chrooted, public key only, no forwarding.
render_sshd_config() {
  cat <<CONF
# Written by provision-sftp.sh; changes are overwritten on the next provision.
Port ${SFTP_PORT}
ListenAddress ${SFTP_LISTEN}
HostKey ${HOST_KEY_DIR}/ssh_host_ed25519_key
HostKey ${HOST_KEY_DIR}/ssh_host_rsa_key
PidFile ${SSHD_PID_FILE}
LogLevel VERBOSE
SyslogFacility AUTH

# Only the external system's user may log in; operators use SSM Session Manager, not SSH.
AllowUsers ${SFTP_USER}
PermitRootLogin no

# Public keys only, from a root-owned file per user.
AuthenticationMethods publickey
PubkeyAuthentication yes
AuthorizedKeysFile ${KEYS_DIR}/%u
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitEmptyPasswords no
HostbasedAuthentication no
GSSAPIAuthentication no
UsePAM no
StrictModes yes
MaxAuthTries 3
LoginGraceTime 30
ClientAliveInterval 300
ClientAliveCountMax 2

# No shell, no tunnels, no forwarding of any kind.
PermitTTY no
PermitUserRC no
PermitUserEnvironment no
PermitTunnel no
AllowTcpForwarding no
AllowStreamLocalForwarding no
AllowAgentForwarding no
X11Forwarding no
GatewayPorts no
DisableForwarding yes

# SFTP only, read-only (-R), jailed in the chroot that holds the read-only bucket mount.
Subsystem sftp internal-sftp -R -l INFO
ChrootDirectory ${CHROOT_DIR}
ForceCommand internal-sftp -R -l INFO
CONF
}

# The SFTP user: no password (usable), no shell, no home of its own.
ensure_user() {
  local nologin
  nologin=$(command -v nologin || echo /usr/sbin/nologin)
  if ! id -u "$SFTP_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir / --shell "$nologin" "$SFTP_USER"
  fi
  # '*' = no password can ever match, but the account is not "locked" (sshd refuses locked
  # accounts even for public keys when PAM is off).
  usermod -p '*' "$SFTP_USER"
}

# ChrootDirectory demands every path component be root-owned and not group/other-writable.
ensure_chroot() {
  install -d -o root -g root -m 0755 "$CHROOT_DIR"
  install -d -o root -g root -m 0755 "$MOUNT_DIR"
  install -d -o root -g root -m 0755 "$KEYS_DIR"
}

# install_authorized_key "<public key line>": root-owned, readable by sshd only.
install_authorized_key() {
  local key=$1 file="$KEYS_DIR/$SFTP_USER" tmp
  tmp=$(mktemp "$KEYS_DIR/.key.XXXXXX")
  # restrict: no pty, no forwarding, whatever sshd_config says.
  printf 'restrict %s\n' "$key" >"$tmp"
  chown root:root "$tmp"; chmod 0644 "$tmp"
  mv -f "$tmp" "$file"
}

ensure_host_keys() {
  [ -f "$HOST_KEY_DIR/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$HOST_KEY_DIR/ssh_host_ed25519_key"
  [ -f "$HOST_KEY_DIR/ssh_host_rsa_key" ] || ssh-keygen -q -t rsa -b 3072 -N '' -f "$HOST_KEY_DIR/ssh_host_rsa_key"
}

write_sshd_config() {
  local tmp
  tmp=$(mktemp "${SSHD_CONFIG}.XXXXXX")
  render_sshd_config >"$tmp"
  chmod 0600 "$tmp"
  sshd -t -f "$tmp"            # never install a config sshd rejects
  mv -f "$tmp" "$SSHD_CONFIG"
  # Amazon Linux drop-ins (sshd_config.d) are not included by our config; nothing else applies.
}

refresh_key() {
  [ -n "$KEY_PARAMETER" ] || { log "KEY_PARAMETER not set"; return 1; }
  local key
  key=$(aws ssm get-parameter --region "$AWS_REGION" --name "$KEY_PARAMETER" --query Parameter.Value --output text)
  if [[ "$key" =~ ^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa)\  ]]; then
    install_authorized_key "$key"
  else
    log "no public key in $KEY_PARAMETER yet (placeholder); SFTP logins stay impossible"
    rm -f "$KEYS_DIR/$SFTP_USER"
  fi
}

# Mountpoint for Amazon S3, read-only, the <output_prefix>/ of the bucket only, files 0444 dirs 0555
# owned by root: the chroot checks pass and nobody can write through the mount.
install_mount() {
  command -v mount-s3 >/dev/null || dnf install -y "$MOUNTPOINT_RPM_URL"
  cat >/etc/systemd/system/extracts-mount.service <<UNIT
[Unit]
Description=Mount s3://${EXTRACTS_BUCKET}/${OUTPUT_PREFIX}/ read-only at ${MOUNT_DIR}
Wants=network-online.target
After=network-online.target

[Service]
Type=forking
ExecStart=/usr/bin/mount-s3 --read-only --allow-other --uid 0 --gid 0 --dir-mode 0555 --file-mode 0444 --prefix ${OUTPUT_PREFIX}/ --region ${AWS_REGION} ${EXTRACTS_BUCKET} ${MOUNT_DIR}
ExecStop=/usr/bin/fusermount -u ${MOUNT_DIR}
Restart=on-failure
RestartSec=30

[Install]
WantedBy=multi-user.target
UNIT
  grep -q '^user_allow_other' /etc/fuse.conf 2>/dev/null || echo user_allow_other >>/etc/fuse.conf
}

install_key_timer() {
  cat >/etc/systemd/system/sftp-key-refresh.service <<UNIT
[Unit]
Description=Refresh the SFTP user's authorized key from SSM

[Service]
Type=oneshot
Environment=SFTP_USER=${SFTP_USER} KEYS_DIR=${KEYS_DIR} KEY_PARAMETER=${KEY_PARAMETER} AWS_REGION=${AWS_REGION}
ExecStart=/usr/local/sbin/provision-sftp.sh refresh-key
UNIT
  cat >/etc/systemd/system/sftp-key-refresh.timer <<UNIT
[Unit]
Description=Refresh the SFTP user's authorized key every 5 minutes

[Timer]
OnBootSec=1min
OnUnitActiveSec=5min

[Install]
WantedBy=timers.target
UNIT
}

provision() {
  [ -n "$EXTRACTS_BUCKET" ] || { log "EXTRACTS_BUCKET not set"; exit 1; }
  install -m 0755 "$0" /usr/local/sbin/provision-sftp.sh 2>/dev/null || true
  ensure_user
  ensure_chroot
  ensure_host_keys
  install_mount
  install_key_timer
  systemctl daemon-reload
  systemctl enable --now extracts-mount.service
  refresh_key || true
  systemctl enable --now sftp-key-refresh.timer
  write_sshd_config
  systemctl restart sshd
  log "SFTP ready: user $SFTP_USER, s3://$EXTRACTS_BUCKET/$OUTPUT_PREFIX/ read-only at /extracts"
}

main() {
  case "${1:-provision}" in
    provision) provision ;;
    refresh-key) refresh_key ;;
    render-config) render_sshd_config ;;
    *) echo "usage: $0 [provision|refresh-key|render-config]" >&2; exit 2 ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
