// SPDX-License-Identifier: Apache-2.0
// What the soak run samples: OpenSSL's live heap allocations and the heap in use.
#pragma once

/// Routes OpenSSL's allocations through counting wrappers; 1 on success, 0 when OpenSSL
/// already allocated (call it before the first TLS use).
int openssl_counter_install(void);

/// OpenSSL allocations not yet freed.
long openssl_counter_live(void);

/// Octets of the C heap in use (glibc's mallinfo2 uordblks).
long heap_in_use(void);
