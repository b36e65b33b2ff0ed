#!/usr/bin/env bash
# Runs Debian's OpenSSH server on 127.0.0.1 with exactly the sshd_config that
# modules/sftp/files/provision-sftp.sh writes (its render-config), a local folder standing in for the
# read-only S3 mount, and proves the external system's view with real sftp/ssh clients.
# Needs root (sshd, useradd, chroot). Prints "ok - ..."/"not ok - ..." and a final "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script="$here/../../modules/sftp/files/provision-sftp.sh"
SFTP_USER=ep-sftp-test
passed=0; failed=0
ok()  { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && printf '    %s\n' "$2" | head -20; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

if [ "$(id -u)" -ne 0 ]; then bad "must run as root (sshd, useradd, chroot)"; finish; fi
sshd_bin=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd_bin" ] || { bad "openssh-server is not installed (scripts/install-test-deps.sh installs it)"; finish; }
command -v sftp >/dev/null || { bad "openssh-client is not installed"; finish; }

# ChrootDirectory refuses world-writable components such as /tmp, so the test root lives under /srv.
install -d -o root -g root -m 0755 /srv
work=$(mktemp -d /srv/ep-sftp-test.XXXXXX); chmod 0755 "$work"
sshd_pid=""
cleanup() {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null && wait "$sshd_pid" 2>/dev/null
  userdel "$SFTP_USER" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Layout: <work>/chroot = the user's "/", <work>/chroot/extracts = the bucket prefix (read-only mount
# on EC2; a root-owned folder here), <work>/outside = what must stay invisible.
export SFTP_USER SFTP_LISTEN=127.0.0.1
export CHROOT_DIR="$work/chroot" MOUNT_DIR="$work/chroot/extracts" KEYS_DIR="$work/keys"
export HOST_KEY_DIR="$work/hostkeys" SSHD_PID_FILE="$work/sshd.pid" SSHD_CONFIG="$work/sshd_config"
SFTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SFTP_PORT

install -d -m 0700 "$HOST_KEY_DIR" "$work/client"
mkdir -p "$work/outside"; echo "secret outside the chroot" >"$work/outside/secret.txt"

# The provisioning script's own functions create the user, the chroot, the keys dir and host keys.
( set -e; source "$script"; userdel "$SFTP_USER" >/dev/null 2>&1 || true; ensure_user; ensure_user; ensure_chroot; ensure_host_keys ) \
  || { bad "provisioning functions (ensure_user twice, ensure_chroot, ensure_host_keys) failed"; finish; }
ok "ensure_user is idempotent and creates a user with no login shell"
getent passwd "$SFTP_USER" | grep -q 'nologin' && ok "user shell is nologin" || bad "user shell is not nologin" "$(getent passwd "$SFTP_USER")"

d="$MOUNT_DIR/bank_name=CoralBankTrust/year=2026/month=03"
mkdir -p "$d" "$MOUNT_DIR/_manifests/year=2026/month=03"
printf 'bank_name,branch_id\nCoral Bank & Trust,7\n' >"$d/CoralBankTrust_20260331.csv"
echo '{"manifest_version": 1}' >"$MOUNT_DIR/_manifests/year=2026/month=03/manifest.json"
# Read-only like the Mountpoint mount (--dir-mode 0555 --file-mode 0444, owned by root).
find "$MOUNT_DIR" -type d -exec chmod 0555 {} +; find "$MOUNT_DIR" -type f -exec chmod 0444 {} +

ssh-keygen -q -t ed25519 -N '' -f "$work/client/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$work/client/other_ed25519"
( set -e; source "$script"; install_authorized_key "$(cat "$work/client/id_ed25519.pub")" ) || bad "install_authorized_key failed"

# Exactly the config the script writes.
( source "$script"; write_sshd_config ) 2>"$work/config.err" || { bad "sshd -t rejects the rendered config" "$(cat "$work/config.err")"; finish; }
bash "$script" render-config | cmp -s - "$SSHD_CONFIG" && ok "installed sshd_config is exactly render-config's output" || bad "installed sshd_config differs from render-config"

mkdir -p /run/sshd; chmod 0755 /run/sshd
"$sshd_bin" -D -e -f "$SSHD_CONFIG" 2>"$work/sshd.log" &
sshd_pid=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$SFTP_PORT") 2>/dev/null && break; sleep 0.1; done

common=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 -o BatchMode=yes)
sftp_as() { # sftp_as <key> <batch commands...>: runs a batch, prints output, returns sftp's status
  local key=$1; shift
  printf '%s\n' "$@" >"$work/batch"
  timeout 20 sftp "${common[@]}" -o IdentitiesOnly=yes -i "$key" -P "$SFTP_PORT" -b "$work/batch" "$SFTP_USER@127.0.0.1" 2>&1
}
key="$work/client/id_ed25519"

# 1. key login works, and the user sees the extracts
out=$(sftp_as "$key" "ls -1 /extracts" "ls -1 /extracts/bank_name=CoralBankTrust/year=2026/month=03")
if [ $? -eq 0 ] && grep -q 'bank_name=CoralBankTrust' <<<"$out" && grep -q 'CoralBankTrust_20260331.csv' <<<"$out"; then ok "public key login works and lists the extracts"; else bad "public key login / listing failed" "$out"; fi

out=$(sftp_as "$key" "get /extracts/bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv $work/client/downloaded.csv")
cmp -s "$work/client/downloaded.csv" "$d/CoralBankTrust_20260331.csv" && ok "an extract downloads byte for byte" || bad "download failed" "$out"

# 2. other keys and passwords are refused
out=$(sftp_as "$work/client/other_ed25519" "ls /")
[ $? -ne 0 ] && ok "an unknown key is refused" || bad "an unknown key logged in" "$out"
out=$(timeout 20 ssh "${common[@]}" -o BatchMode=no -o PreferredAuthentications=password,keyboard-interactive -o PubkeyAuthentication=no \
  -o NumberOfPasswordPrompts=1 -p "$SFTP_PORT" "$SFTP_USER@127.0.0.1" true </dev/null 2>&1)
if grep -q 'Permission denied (publickey)' <<<"$out"; then ok "password and keyboard-interactive login are not offered (publickey only)"; else bad "password authentication is offered" "$out"; fi

# 3. chroot: "/" is the chroot, nothing outside is reachable
out=$(sftp_as "$key" "pwd" "ls -1a /")
if grep -q 'Remote working directory: /$' <<<"$out" && grep -q 'extracts' <<<"$out" && ! grep -qE 'outside|keys|hostkeys|sshd_config' <<<"$out"; then ok "chrooted: / shows only extracts"; else bad "chroot listing shows more than the extracts" "$out"; fi
out=$(sftp_as "$key" "ls /../.." "cd /.." "ls")
! grep -qE 'outside|hostkeys|bin|etc' <<<"$out" && ok "cannot climb out of the chroot with .." || bad "climbed out of the chroot" "$out"
out=$(sftp_as "$key" "get $work/outside/secret.txt $work/client/leak.txt")
[ ! -e "$work/client/leak.txt" ] && ok "cannot read a file outside the chroot by absolute path" || bad "read a file outside the chroot" "$out"
out=$(sftp_as "$key" "get /etc/passwd $work/client/passwd")
[ ! -e "$work/client/passwd" ] && ok "cannot read /etc/passwd" || bad "read /etc/passwd" "$out"

# 4. read-only: uploads, deletes, renames, mkdir, chmod are refused
echo upload >"$work/client/upload.csv"
out=$(sftp_as "$key" "put $work/client/upload.csv /extracts/upload.csv")
[ $? -ne 0 ] && [ ! -e "$MOUNT_DIR/upload.csv" ] && ok "upload refused" || bad "upload was not refused" "$out"
out=$(sftp_as "$key" "put $work/client/upload.csv /upload.csv")
[ $? -ne 0 ] && [ ! -e "$CHROOT_DIR/upload.csv" ] && ok "upload to the chroot root refused" || bad "upload to the chroot root was not refused" "$out"
out=$(sftp_as "$key" "rm /extracts/bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv")
[ $? -ne 0 ] && [ -e "$d/CoralBankTrust_20260331.csv" ] && ok "delete refused" || bad "delete was not refused" "$out"
out=$(sftp_as "$key" "rename /extracts/bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv /extracts/x.csv")
[ $? -ne 0 ] && [ -e "$d/CoralBankTrust_20260331.csv" ] && ok "rename refused" || bad "rename was not refused" "$out"
out=$(sftp_as "$key" "mkdir /extracts/newdir")
[ $? -ne 0 ] && [ ! -e "$MOUNT_DIR/newdir" ] && ok "mkdir refused" || bad "mkdir was not refused" "$out"
out=$(sftp_as "$key" "chmod 777 /extracts/bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv")
[ $? -ne 0 ] && [ "$(stat -c %a "$d/CoralBankTrust_20260331.csv")" = 444 ] && ok "chmod refused" || bad "chmod was not refused" "$out"

# 5. no shell, no command, no forwarding
out=$(timeout 20 ssh "${common[@]}" -o IdentitiesOnly=yes -i "$key" -p "$SFTP_PORT" "$SFTP_USER@127.0.0.1" 'echo SHELL-WORKS; id' </dev/null 2>&1)
! grep -q 'SHELL-WORKS' <<<"$out" && ok "no remote command execution" || bad "a remote command ran" "$out"
out=$(timeout 20 ssh "${common[@]}" -o IdentitiesOnly=yes -i "$key" -tt -p "$SFTP_PORT" "$SFTP_USER@127.0.0.1" </dev/null 2>&1)
! grep -qE '\$ |# |SHELL' <<<"$out" && ok "no interactive shell" || bad "an interactive shell opened" "$out"
# Local forwarding: ask sshd to open a channel to its own port; ExitOnForwardFailure makes refusal fatal.
fwd_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
timeout 10 ssh "${common[@]}" -o IdentitiesOnly=yes -i "$key" -o ExitOnForwardFailure=yes -N \
  -L "127.0.0.1:$fwd_port:127.0.0.1:$SFTP_PORT" -p "$SFTP_PORT" "$SFTP_USER@127.0.0.1" </dev/null >"$work/fwd.log" 2>&1 &
fwd_pid=$!
sleep 1.5
banner=$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$fwd_port; head -c 7 <&3" 2>/dev/null || true)
kill "$fwd_pid" 2>/dev/null; wait "$fwd_pid" 2>/dev/null
[ "$banner" != "SSH-2.0" ] && ok "local port forwarding refused" || bad "local port forwarding works" "$(cat "$work/fwd.log")"
out=$(timeout 10 ssh "${common[@]}" -o IdentitiesOnly=yes -i "$key" -o ExitOnForwardFailure=yes -N \
  -R "127.0.0.1:0:127.0.0.1:22" -p "$SFTP_PORT" "$SFTP_USER@127.0.0.1" </dev/null 2>&1)
grep -qiE 'forwarding failed|administratively prohibited|remote port forwarding failed' <<<"$out" && ok "remote port forwarding refused" || bad "remote port forwarding not refused" "$out"

# 6. the server never accepted a password: sshd's log shows no password method offered.
grep -qE 'Accepted password|Accepted keyboard-interactive' "$work/sshd.log" && bad "sshd accepted a password" "$(tail -5 "$work/sshd.log")" || ok "sshd log shows no password acceptance"

kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; sshd_pid=""
userdel "$SFTP_USER" >/dev/null 2>&1
id -u "$SFTP_USER" >/dev/null 2>&1 && bad "test user still exists after cleanup" || ok "test user removed"
finish
