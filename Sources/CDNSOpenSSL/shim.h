// SPDX-License-Identifier: Apache-2.0
// OpenSSL 3 (Debian: libssl-dev) for DNS over TLS, with inline wrappers for the macros Swift cannot call.
#ifndef CDNSOPENSSL_SHIM_H
#define CDNSOPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <openssl/evp.h>
#include <openssl/bio.h>

static inline long cdns_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline long cdns_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long cdns_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long cdns_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

static inline long cdns_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

static inline unsigned long cdns_XN_FLAG_RFC2253(void) { return XN_FLAG_RFC2253; }

static inline int cdns_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
static inline int cdns_TLS1_3_VERSION(void) { return TLS1_3_VERSION; }
#endif
