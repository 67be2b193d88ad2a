/* broker.h — the brokerage itself, one header per idea: package requests
 * (request.h), the match (match.h), offers and responses (offer.h), and
 * call-offs with their lifecycle (calloff.h). Every rule is in core; the CLI
 * and the screens only call it. */
#ifndef BR_BROKER_H
#define BR_BROKER_H

#include "request.h"
#include "match.h"
#include "offer.h"
#include "calloff.h"

#endif
