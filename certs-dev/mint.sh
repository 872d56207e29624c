#!/usr/bin/env bash
# Mints the development CA, server and agency certificates into certs-dev/ when missing.
# The hub does this by itself on `dotnet run`; this script is for minting without starting it.
# Delete certs-dev/*.crt to mint a fresh set. Never use these certificates outside development.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project src/CreditExchange.Server -- mint-dev-certs
