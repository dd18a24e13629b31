#!/usr/bin/env bash
set -euo pipefail
mkdir -p 'work'
cat > 'work/merged_2025-08.csv' <<'CLAWGYM_EOF'
date,cardholder,team,amount
2025-08-01,Lucia Petrov,support,299.21
2025-08-02,Tariq Garcia,support,432.74
2025-08-03,Olga Gomez,design,68.53
2025-08-06,Lucia Petrov,support,330.09
2025-08-06,Lucia Petrov,support,634.39
2025-08-06,Rosa Varga,sales,193.31
2025-08-07,Nadia Silva,data,185.40
2025-08-07,Wen Okafor,design,559.57
2025-08-07,Yusuf Haddad,sales,2713.48
2025-08-08,Lucia Petrov,support,497.94
2025-08-08,Rosa Varga,sales,271.05
2025-08-09,Maren Fischer,support,492.77
2025-08-09,Olga Gomez,design,649.46
2025-08-10,Carmen Kim,data,413.15
2025-08-10,Lucia Petrov,support,1881.52
2025-08-10,Olga Gomez,design,312.17
2025-08-10,Olga Gomez,design,447.28
2025-08-11,Wen Okafor,design,411.05
2025-08-12,Carmen Kim,data,622.76
2025-08-12,Gustav Oyelaran,sales,370.20
2025-08-13,Wen Okafor,design,510.27
2025-08-14,Yusuf Haddad,sales,559.58
2025-08-16,Nadia Silva,data,384.87
2025-08-17,Nadia Silva,data,694.48
2025-08-17,Rosa Varga,sales,764.22
2025-08-17,Yusuf Haddad,sales,54.05
2025-08-19,Yusuf Haddad,sales,630.56
2025-08-20,Rosa Varga,sales,42.41
2025-08-20,Wen Okafor,design,103.51
2025-08-20,Wen Okafor,design,129.74
2025-08-20,Yusuf Haddad,sales,837.44
2025-08-21,Rosa Varga,sales,758.04
2025-08-21,Rosa Varga,sales,765.14
2025-08-21,Yusuf Haddad,sales,874.24
2025-08-23,Olga Gomez,design,105.19
2025-08-24,Maren Fischer,support,321.28
2025-08-24,Rosa Varga,sales,224.97
2025-08-25,Tariq Garcia,support,128.69
2025-08-26,Olga Gomez,design,96.03
2025-08-26,Yusuf Haddad,sales,64.31
2025-08-28,Olga Gomez,design,327.21
2025-08-28,Rosa Varga,sales,92.70
2025-08-30,Carmen Kim,data,445.97
2025-08-30,Tariq Garcia,support,773.34
2025-08-30,Wen Okafor,design,1636.18
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
      "support": 5791.97,
      "sales": 9215.7,
      "data": 2746.63,
      "design": 5356.19
    },
    "card_transactions": 45
  }
}
CLAWGYM_EOF
printf '%s\n' '- 2025-08-31: card spend for August 2025 (45 transactions, total 23110.49)' >> dashboard/CHANGES.md
