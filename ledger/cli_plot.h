// SPDX-License-Identifier: GPL-2.0-or-later
/* cfn-ledger plot: the decision timeline of a ledger, drawn by gnuplot. */
#ifndef CFN_LEDGER_CLI_PLOT_H
#define CFN_LEDGER_CLI_PLOT_H

#include "cli.h"

int cli_plot(int argc, char **argv, const struct cli_opts *o);

#endif
