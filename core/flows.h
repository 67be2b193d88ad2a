/* flows.h — the flows layer (core/flows/): use cases that span records and the lifecycle (open a session, offer and accept, decide an approval, book respite, suspend a provider, a death, import). Depends on lifecycle and below. */
#ifndef BR_LAYER_FLOWS_H
#define BR_LAYER_FLOWS_H

#include "opening.h"
#include "deceased.h"
#include "offer.h"
#include "decide.h"
#include "respite.h"
#include "suspend.h"
#include "import.h"

#endif
