/* storage.h — the store layer (core/store/): SQLite and the migrations, the session, the audit chain, the writers' queue, init. Depends on base. */
#ifndef BR_LAYER_STORAGE_H
#define BR_LAYER_STORAGE_H

#include "store.h"
#include "session.h"
#include "audit.h"

#include "init.h"

#endif
