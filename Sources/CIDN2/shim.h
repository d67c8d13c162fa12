// SPDX-License-Identifier: Apache-2.0
// libidn2 for the DNSWire module's IDNA conversions (Debian: libidn2-dev).
#ifndef CIDN2_SHIM_H
#define CIDN2_SHIM_H
#include <idn2.h>
#include <stdlib.h>
#endif
