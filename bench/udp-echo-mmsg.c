/* The batched floor: a C loop that answers each datagram with itself (QR|AA set), moving up to 16
 * datagrams per recvmmsg/sendmmsg call as gdnsd does. bench/compare.sh runs it beside udp-echo.c. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 16
int main(int argc, char **argv) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(argc > 1 ? atoi(argv[1]) : 5398)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) return 1;
    static char b[BATCH][4096];
    struct sockaddr_in peers[BATCH];
    struct iovec iov[BATCH];
    struct mmsghdr m[BATCH];
    for (;;) {
        memset(m, 0, sizeof m);
        for (int i = 0; i < BATCH; i++) {
            iov[i] = (struct iovec){b[i], sizeof b[i]};
            m[i].msg_hdr = (struct msghdr){.msg_name = &peers[i], .msg_namelen = sizeof peers[i], .msg_iov = &iov[i], .msg_iovlen = 1};
        }
        int n = recvmmsg(s, m, BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0) continue;
        for (int i = 0; i < n; i++) { b[i][2] |= 0x84; iov[i].iov_len = m[i].msg_len; }
        sendmmsg(s, m, n, 0);
    }
}
