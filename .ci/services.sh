# Sourced by .ci/run: PostgreSQL and Chromium for the capability tests (the store's
# PostgreSQL round trip and the HTML report rendered in headless Chromium). Idempotent:
# Debian packages are installed only when missing, the cluster created and started only when
# needed; works as root (CI containers) or through sudo. Exports TRUSTMAP_TEST_POSTGRES_URL.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The newest installed PostgreSQL version (15 on Debian 12, 17 on Debian 13).
pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
cluster() { pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main"'; }
if [ -z "$(cluster)" ]; then
    as_root pg_createcluster "$pg_version" main >/dev/null
fi
if ! cluster | grep -q online; then
    echo "== start PostgreSQL $pg_version"
    as_root pg_ctlcluster "$pg_version" main start
fi
pg_port=$(cluster | awk '{print $3}')
pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- psql -p "$pg_port" -v ON_ERROR_STOP=1 -qtA "$@"
    else
        sudo -u postgres psql -p "$pg_port" -v ON_ERROR_STOP=1 -qtA "$@"
    fi
}
pg -c "SELECT 1 FROM pg_roles WHERE rolname = 'trustmap'" | grep -q 1 ||
    pg -c "CREATE ROLE trustmap LOGIN PASSWORD 'trustmap'"
pg -c "SELECT 1 FROM pg_database WHERE datname = 'trustmap_test'" | grep -q 1 ||
    pg -c "CREATE DATABASE trustmap_test OWNER trustmap"
export TRUSTMAP_TEST_POSTGRES_URL="postgres://trustmap:trustmap@127.0.0.1:${pg_port}/trustmap_test"
