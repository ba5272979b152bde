// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Build identity: which FRR tree (version + patch series) a module was
 * compiled against, and whether the daemon loading it is that same build.
 */
#ifndef CFN_BUILDINFO_H
#define CFN_BUILDINFO_H

#include <stdbool.h>
#include <stddef.h>

/* Marker that frr/build.sh puts into FRR's version: "8.4.4-cfn-<hash>". */
#define CFN_PATCHSET_MARKER "-cfn-"

/*
 * Copies the patch-series hash out of an FRR version string into buf.
 * Returns false (buf = "") when the version carries no CFN patch series.
 */
bool cfn_patchset_of(const char *frr_version, char *buf, size_t buflen);

/*
 * Checks that a module built against FRR version `built` can run inside a
 * daemon whose libfrr reports `running` (NULL when the daemon's libfrr does
 * not export its version, i.e. is not a CFN-patched FRR).  On mismatch
 * returns false and writes a one-line reason into err.
 */
bool cfn_frr_build_matches(const char *built, const char *running, char *err,
			   size_t errlen);

#endif
