/* core.h — the one header tui/ includes: every layer of core, lowest
 * first (HACKING.md, "core/"). No curses here, no printing: core/ returns a
 * status and a message; tui/ decides. */
#ifndef BR_CORE_H
#define BR_CORE_H

#include "base.h"
#include "storage.h"
#include "records.h"
#include "lifecycle.h"
#include "flows.h"
#include "views.h"

#endif
