# Refuse to start a process with a missing or weak secret outside development; sourced, not run.
#   require_secrets NAME...   (after scripts/common.sh, which gives development defaults)
# In development (ENVIRONMENT unset or "development") the public dev-only defaults of common.sh
# are accepted. Anywhere else each secret must be set, at least 24 characters, not a
# placeholder and not a "dev-only-" default: otherwise the script stops with exit code 78.
require_secrets() {
  [ "${ENVIRONMENT:-development}" = "development" ] && return 0
  local name value problem failed=0
  for name in "$@"; do
    value="${!name:-}"
    problem=""
    if [ -z "$value" ]; then
      problem="chưa được đặt / not set"
    elif [[ "$value" == dev-only-* ]]; then
      problem="đang là giá trị mặc định cho phát triển / is the public development default"
    elif [ "${#value}" -lt 24 ]; then
      problem="ngắn hơn 24 ký tự / shorter than 24 characters"
    elif [ "$(printf '%s' "$value" | fold -w1 | sort -u | wc -l)" -le 2 ]; then
      problem="là giá trị mẫu / is a placeholder"
    fi
    if [ -n "$problem" ]; then
      echo "LỖI / ERROR: $name $problem (ENVIRONMENT=${ENVIRONMENT})." >&2
      failed=1
    fi
  done
  if [ "$failed" -ne 0 ]; then
    echo "Không khởi động: hãy đặt các khóa bí mật mạnh (ví dụ: openssl rand -hex 32) trong biến môi trường." >&2
    echo "Refusing to start: set strong secrets (e.g. openssl rand -hex 32) in the environment." >&2
    exit 78
  fi
}
