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

/* DNS over DTLS (RFC 8094): the client's datagram BIO, MTU and retransmission timer. */
static inline long cdns_DTLSv1_get_timeout(SSL *ssl, struct timeval *tv) { return DTLSv1_get_timeout(ssl, tv); }
static inline long cdns_DTLSv1_handle_timeout(SSL *ssl) { return DTLSv1_handle_timeout(ssl); }
static inline long cdns_SSL_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }
static inline uint64_t cdns_SSL_OP_NO_QUERY_MTU(void) { return SSL_OP_NO_QUERY_MTU; }
static inline long cdns_BIO_dgram_set_connected(BIO *bio, void *peer) {
    return BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_CONNECTED, 0, peer);
}
static inline int cdns_DTLS1_2_VERSION(void) { return DTLS1_2_VERSION; }

/* The tests' FakeDTLSServer: cookie exchange, tickets, link MTU, memory BIOs and app data. */
static inline uint64_t cdns_SSL_OP_COOKIE_EXCHANGE(void) { return SSL_OP_COOKIE_EXCHANGE; }
static inline uint64_t cdns_SSL_OP_NO_TICKET(void) { return SSL_OP_NO_TICKET; }

static inline long cdns_DTLS_set_link_mtu(SSL *ssl, long mtu) {
    return DTLS_set_link_mtu(ssl, mtu);
}

static inline long cdns_BIO_set_mem_eof_return(BIO *bio, long value) {
    return BIO_set_mem_eof_return(bio, value);
}

static inline int cdns_SSL_set_app_data(SSL *ssl, void *data) {
    return SSL_set_app_data(ssl, data);
}

static inline void *cdns_SSL_get_app_data(const SSL *ssl) {
    return SSL_get_app_data(ssl);
}

static inline int cdns_SSL_CTX_set_app_data(SSL_CTX *ctx, void *data) {
    return SSL_CTX_set_app_data(ctx, data);
}

static inline void *cdns_SSL_CTX_get_app_data(const SSL_CTX *ctx) {
    return SSL_CTX_get_app_data(ctx);
}
#endif
