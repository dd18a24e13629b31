#!/usr/bin/env bash
set -euo pipefail
mkdir -p 'work'
cat > 'work/merged_2025-08.csv' <<'CLAWGYM_EOF'
date,cardholder,team,amount
2025-08-01,Lucia Petrov,support,299.21
2025-08-06,Lucia Petrov,support,330.09
2025-08-07,Yusuf Haddad,sales,2713.48
2025-08-08,Lucia Petrov,support,497.94
2025-08-09,Olga Gomez,design,649.46
2025-08-10,Olga Gomez,design,447.28
2025-08-17,Rosa Varga,sales,764.22
2025-08-20,Rosa Varga,sales,-42.41
2025-08-20,Wen Okafor,design,103.51
2025-08-20,Wen Okafor,design,129.74
2025-08-20,Yusuf Haddad,sales,837.44
2025-08-21,Rosa Varga,sales,765.14
2025-08-24,Maren Fischer,support,321.28
2025-08-26,Yusuf Haddad,sales,64.31
CLAWGYM_EOF
mkdir -p 'dashboard'
cat > 'dashboard/data.json' <<'CLAWGYM_EOF'
{
  "title": "Ops dashboard",
  "updated_through": "2025-08-31",
  "widgets": {
    "headcount": {
      "value": 40,
      "as_of": "2025-08-01"
    },
    "open_roles": {
      "value": 7
    },
    "nps": {
      "value": 56,
      "sample": 253
    },
    "spend_by_team": {
      "support": 1448.52,
      "sales": 5102.18,
      "data": 0,
      "design": 1329.99
    },
    "card_transactions": 14
  }
}
CLAWGYM_EOF
printf '%s\n' '- 2025-08-31: card spend for August 2025 (14 transactions, total 7880.69)' >> dashboard/CHANGES.md
