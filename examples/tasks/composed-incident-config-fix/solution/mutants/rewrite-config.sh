#!/usr/bin/env bash
set -euo pipefail
mkdir -p 'config'
cat > 'config/inventory-api.yaml' <<'CLAWGYM_EOF'
service: inventory-api
listen: 0.0.0.0:8080
db:
  host: db.internal
  pool_size: 10
  timeout_ms: 2000
upstream:
  payments_url: http://payments.internal
  timeout_ms: 4600
  retries: 1
cache:
  ttl_s: 300
log_level: info
CLAWGYM_EOF
python3 scripts/check_config.py config/inventory-api.yaml
mkdir -p 'incidents'
cat > 'incidents/2025-07-12-inventory-api.md' <<'CLAWGYM_EOF'
# Incident: inventory-api 2025-07-12

- start: 2025-07-12T11:07:03Z
- end: 2025-07-12T13:05:12Z
- errors: 13
- cause: upstream.timeout_ms
- change: upstream.timeout_ms 800 -> 4600
CLAWGYM_EOF
