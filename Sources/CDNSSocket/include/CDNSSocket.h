// SPDX-License-Identifier: Apache-2.0
// Batched datagram I/O (recvmmsg/sendmmsg) for the UDP carrier, naming a thread, and a
// non-blocking pipe in one call: Swift's Glibc module does not expose them, as they need
// _GNU_SOURCE.

#ifndef CDNS_SOCKET_H
#define CDNS_SOCKET_H

#include <stddef.h>
#include <sys/socket.h>

/// At most this many datagrams move in one call.
#define CDNS_BATCH_MAX 64

/// Receives up to `count` (at most CDNS_BATCH_MAX) datagrams from `fd` without blocking:
/// datagram i goes to `buffers + i * buffer_size` (cut to `buffer_size`), its length to
/// `lengths[i]`, its source to `sources[i]` and the source's length to `source_lengths[i]`.
/// Returns how many arrived (0 when none was ready), or -1 with errno set.
int cdns_receive_batch(int fd, unsigned char *buffers, size_t buffer_size, unsigned int count, size_t *lengths,
                       struct sockaddr_storage *sources, socklen_t *source_lengths);

/// Sends `count` (at most CDNS_BATCH_MAX) datagrams on the connected socket `fd`: datagram
/// i is `lengths[i]` octets at `buffers + offsets[i]`. Returns how many were sent (the
/// first one not sent failed), or -1 with errno set when the first failed.
int cdns_send_batch(int fd, const unsigned char *buffers, const size_t *offsets, const size_t *lengths,
                    unsigned int count);

/// Names the calling thread (at most 15 bytes are kept), as `top -H` and debuggers show it.
void cdns_name_this_thread(const char *name);

/// Makes a pipe whose ends are non-blocking and closed on exec (pipe2), into `fds` (read
/// end first). Returns 0, or -1 with errno set.
int cdns_nonblocking_pipe(int fds[2]);

#endif
