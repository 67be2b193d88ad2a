/* lifecycle.h — the lifecycle layer (core/lifecycle/): the call-off's transition table and everything a call-off goes through. Depends on records and below. */
#ifndef BR_LAYER_LIFECYCLE_H
#define BR_LAYER_LIFECYCLE_H

#include "calloff.h"

#endif
