/* records.h — the records layer (core/records/): the rows and their rules (person, provider, award, capacity, rate, request, offer, approval, users, respite beds) and the match that reads them. Depends on store and base. */
#ifndef BR_LAYER_RECORDS_H
#define BR_LAYER_RECORDS_H

#include "query.h"
#include "upkeep.h"
#include "provider.h"
#include "request.h"
#include "offers.h"
#include "approval.h"
#include "users.h"
#include "calloff_states.h"
#include "calloff_pauses.h"
#include "calloff_rows.h"
#include "respite_beds.h"
#include "capacity.h"
#include "invariants.h"
#include "match.h"
#include "queue.h"

#endif
