// SPDX-License-Identifier: Apache-2.0
// recvmmsg/sendmmsg behind plain arrays, for the UDP carrier; prctl for thread names; pipe2.

#define _GNU_SOURCE 1
#include "CDNSSocket.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <unistd.h>

int cdns_receive_batch(int fd, unsigned char *buffers, size_t buffer_size, unsigned int count, size_t *lengths,
                       struct sockaddr_storage *sources, socklen_t *source_lengths) {
    struct mmsghdr messages[CDNS_BATCH_MAX];
    struct iovec vectors[CDNS_BATCH_MAX];
    if (count > CDNS_BATCH_MAX) count = CDNS_BATCH_MAX;
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = buffers + (size_t)i * buffer_size;
        vectors[i].iov_len = buffer_size;
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &sources[i];
        messages[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
    }
    int received = recvmmsg(fd, messages, count, MSG_DONTWAIT, NULL);
    if (received < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    for (int i = 0; i < received; i++) {
        lengths[i] = messages[i].msg_len;
        source_lengths[i] = messages[i].msg_hdr.msg_namelen;
    }
    return received;
}

int cdns_send_batch(int fd, const unsigned char *buffers, const size_t *offsets, const size_t *lengths,
                    unsigned int count) {
    struct mmsghdr messages[CDNS_BATCH_MAX];
    struct iovec vectors[CDNS_BATCH_MAX];
    if (count > CDNS_BATCH_MAX) count = CDNS_BATCH_MAX;
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = (void *)(buffers + offsets[i]);
        vectors[i].iov_len = lengths[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    return sendmmsg(fd, messages, count, MSG_NOSIGNAL);
}

void cdns_name_this_thread(const char *name) { prctl(PR_SET_NAME, name, 0, 0, 0); }

int cdns_nonblocking_pipe(int fds[2]) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC); }
