/* views.h — the views layer (core/views/): what is read and shown (a person's file, reports, exports, work orders, check). Depends on flows and below. */
#ifndef BR_LAYER_VIEWS_H
#define BR_LAYER_VIEWS_H

#include "person.h"
#include "report.h"
#include "export.h"
#include "workorder.h"
#include "check.h"

#endif
