/* base.h — the bottom layer (core/base/): status and messages, dates, money, text and NHS numbers, the domain's tables, the rule words, config, privilege, output files. Depends on nothing of ours. */
#ifndef BR_LAYER_BASE_H
#define BR_LAYER_BASE_H

#include "status.h"
#include "util.h"
#include "domain.h"
#include "rules.h"
#include "config.h"
#include "privilege.h"
#include "outfile.h"

#endif
