/* core.h — the one header tui/ includes: the domain rules, the store's
 * public face, config, audit, import/export and reports. No curses here,
 * no printing: core/ returns a status and a message; tui/ decides. */
#ifndef BR_CORE_H
#define BR_CORE_H

#include "approval.h"
#include "audit.h"
#include "broker.h"
#include "check.h"
#include "config.h"
#include "domain.h"
#include "export.h"
#include "import.h"
#include "upkeep.h"
#include "init.h"
#include "outfile.h"
#include "person.h"
#include "privilege.h"
#include "provider.h"
#include "query.h"
#include "respite.h"
#include "queue.h"
#include "report.h"
#include "rules.h"
#include "session.h"
#include "status.h"
#include "store.h"
#include "util.h"

/* stamped by the Makefile from the file VERSION */
#ifndef BROKERAGE_VERSION
#define BROKERAGE_VERSION "unknown"
#endif

#endif
