// SPDX-License-Identifier: Apache-2.0
// libnghttp2 (Debian 12: 1.52) for the DNS-over-HTTPS transport.
#ifndef CDNS_NGHTTP2_SHIM_H
#define CDNS_NGHTTP2_SHIM_H
#include <nghttp2/nghttp2.h>
#endif
