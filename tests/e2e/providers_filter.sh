#!/bin/sh
# Filtering providers by locality and tier shows the awarded primary.
. tests/e2e/lib.sh
setup_db
start_ui
keys 3
check "providers screen" "brokerage | Providers"
keys l
check "locality picker" "Wallasey"
keys Down Enter
check "locality filter set" "Locality: WAL"
keys t
check "tier picker" "primary"
keys Down Enter
check "tier filter set" "Tier: primary"
check "Premier Care is Wallasey's primary" "Premier Care  *primary"
keys l Down Down Down Enter
check "West Wirral" "Locality: WW"
check "the Alliance is West Wirral's primary" "Wirral Home Care Alliance"
keys Enter
check "provider detail" "brokerage | Provider"
check "consortium members" "Consortium members: Aspire, Community Caring, Professional Carers"
check "awards by tier" "HC  primary    West Wirral"
finish
