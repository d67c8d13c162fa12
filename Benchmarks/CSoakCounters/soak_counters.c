// SPDX-License-Identifier: Apache-2.0
// OpenSSL's allocator hooks (CRYPTO_set_mem_functions) wrapping malloc, keeping a live count;
// and glibc's figure for the heap in use.
#include "soak_counters.h"
#include <malloc.h>
#include <openssl/crypto.h>
#include <stdlib.h>

static long live;

static void *counting_malloc(size_t size, const char *file, int line) {
    (void)file; (void)line;
    void *pointer = malloc(size);
    if (pointer) __atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
    return pointer;
}

static void *counting_realloc(void *pointer, size_t size, const char *file, int line) {
    (void)file; (void)line;
    if (!pointer) return counting_malloc(size, file, line);
    if (size == 0) {
        free(pointer);
        __atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    return realloc(pointer, size);
}

static void counting_free(void *pointer, const char *file, int line) {
    (void)file; (void)line;
    if (!pointer) return;
    __atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
    free(pointer);
}

int openssl_counter_install(void) { return CRYPTO_set_mem_functions(counting_malloc, counting_realloc, counting_free); }

long openssl_counter_live(void) { return __atomic_load_n(&live, __ATOMIC_RELAXED); }

long heap_in_use(void) { return (long)mallinfo2().uordblks; }
