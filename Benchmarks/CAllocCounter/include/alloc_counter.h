// SPDX-License-Identifier: Apache-2.0
// Counts heap allocations of the benchmark process (glibc only).
#ifndef ALLOC_COUNTER_H
#define ALLOC_COUNTER_H
#include <stdint.h>
/// The number of malloc, calloc, realloc and aligned allocations since the process started.
uint64_t alloc_counter_value(void);
#endif
