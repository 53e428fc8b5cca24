/* The floor of this machine: a C loop that answers each datagram with itself (QR|AA set) using
 * one recvfrom and one sendto, as GeoDns's UDP loop does. bench/qps.sh runs it under the same
 * dnsperf load, so GeoDns's CPU per query can be read against the cost of the syscalls alone. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(argc > 1 ? atoi(argv[1]) : 5398)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) return 1;
    char b[4096];
    for (;;) {
        struct sockaddr_in p;
        socklen_t pl = sizeof p;
        int n = recvfrom(s, b, sizeof b, 0, (struct sockaddr *)&p, &pl);
        if (n < 12) continue;
        b[2] |= 0x84;
        sendto(s, b, n, 0, (struct sockaddr *)&p, pl);
    }
}
