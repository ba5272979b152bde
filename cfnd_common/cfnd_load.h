// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Load -> metric -> damping -> advertised entry, for one hosted service.
 * Internal to the model (cfnd_model.c); daemon parts never call it.
 */
#ifndef CFND_LOAD_H
#define CFND_LOAD_H

#include "cfnd_model.h"

/* Starts/stops the damping state of a service added/removed. */
void cfnd_load_init(struct cfnd_service *s);
void cfnd_load_fini(struct cfnd_service *s);
/* The load changed: the new metric goes out when damping lets it. */
void cfnd_load_changed(struct cfnd_service *s);
/* Advertises the current load at once (price/site changed, or forced);
 * damping still counts it, so a flapping config backs off. */
void cfnd_load_advertise_now(struct cfnd_service *s);
/* The entry to advertise for s with metric (service_entry of the LSP). */
void cfnd_load_entry(const struct cfnd_service *s, uint32_t metric,
		     struct cfn_svc_entry *e);
uint64_t cfnd_now_ms(void);

#endif
