/* Spoofed-source flood and a legitimate resolver, on loopback only (bench/flood.sh runs it).
 *
 *   flood SERVER PORT VICTIM_PREFIX VICTIMS RATE SECONDS QNAME QTYPE LEGIT_ADDR LEGIT_RATE
 *
 * VICTIMS sockets bound to VICTIM_PREFIX.1 .. .VICTIMS (e.g. 127.66.0.1-50) stand for the victims
 * of a reflection attack: the queries they send are the attacker's spoofed ones, and every byte the
 * server sends back to them is reflected traffic. RATE queries/s in all, for SECONDS, with EDNS
 * (payload 1232) so the answer is as large as the server will send over UDP.
 * Meanwhile a resolver bound to LEGIT_ADDR (another prefix) asks LEGIT_RATE queries/s, one at a
 * time, waits up to 1 s for each, and retries over TCP when the reply is truncated (TC=1).
 * Prints: sent, bytes sent, replies, bytes received, truncated; legitimate asked/answered. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int build(unsigned char *q, unsigned short id, const char *name, int type, int edns) {
    int n = 0;
    q[n++] = id >> 8; q[n++] = id; q[n++] = 0; q[n++] = 0; q[n++] = 0; q[n++] = 1;
    q[n++] = 0; q[n++] = 0; q[n++] = 0; q[n++] = 0; q[n++] = 0; q[n++] = edns ? 1 : 0;
    const char *p = name;
    while (*p) {
        const char *dot = strchr(p, '.');
        int len = dot ? (int)(dot - p) : (int)strlen(p);
        q[n++] = len;
        memcpy(q + n, p, len);
        n += len;
        p += len + (dot ? 1 : 0);
        if (!dot) break;
    }
    q[n++] = 0;
    q[n++] = type >> 8; q[n++] = type; q[n++] = 0; q[n++] = 1;
    if (edns) {
        unsigned char opt[] = {0, 0, 41, 1232 >> 8, 1232 & 0xff, 0, 0, 0, 0, 0, 0};
        memcpy(q + n, opt, sizeof opt);
        n += sizeof opt;
    }
    return n;
}

static struct sockaddr_in address(const char *ip, int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static int bound(const char *ip, int type) {
    int s = socket(AF_INET, type, 0);
    struct sockaddr_in a = address(ip, 0);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) { perror(ip); exit(1); }
    return s;
}

/* One question over TCP from the legitimate resolver's address; 1 when answered. */
static int tcp_ask(const char *from, struct sockaddr_in *server, unsigned char *q, int n) {
    int s = bound(from, SOCK_STREAM);
    struct timeval tv = {.tv_sec = 2};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int ok = 0;
    unsigned char frame[2 + 512], len[2];
    if (connect(s, (struct sockaddr *)server, sizeof *server) == 0) {
        frame[0] = n >> 8; frame[1] = n;
        memcpy(frame + 2, q, n);
        if (send(s, frame, n + 2, 0) == n + 2 && recv(s, len, 2, MSG_WAITALL) == 2) {
            int want = len[0] << 8 | len[1];
            unsigned char *reply = malloc(want);
            ok = recv(s, reply, want, MSG_WAITALL) == want && reply[0] == q[0] && reply[1] == q[1];
            free(reply);
        }
    }
    close(s);
    return ok;
}

static void legit(const char *server_ip, int port, const char *from, int rate, double seconds) {
    static const char *names[] = {"www.example.com", "example.com", "mail.example.com", "nope.example.com", "app.example.com", "big.example.com"};
    static const int types[] = {1, 6, 1, 1, 1, 16};
    struct sockaddr_in server = address(server_ip, port);
    int s = bound(from, SOCK_DGRAM);
    long asked = 0, answered = 0, via_tcp = 0;
    double start = now();
    unsigned char q[512], r[4096];
    while (now() - start < seconds) {
        int k = asked % 6;
        int n = build(q, (unsigned short)(asked * 7919), names[k], types[k], 1);
        asked++;
        sendto(s, q, n, 0, (struct sockaddr *)&server, sizeof server);
        double deadline = now() + 1.0;
        int got = 0;
        while (!got && now() < deadline) {
            struct pollfd p = {.fd = s, .events = POLLIN};
            if (poll(&p, 1, (int)((deadline - now()) * 1000) + 1) <= 0) break;
            int m = recv(s, r, sizeof r, 0);
            if (m >= 12 && r[0] == q[0] && r[1] == q[1]) got = (r[2] & 0x02) ? 2 : 1;
        }
        if (got == 1) answered++;
        else if (got == 2 && tcp_ask(from, &server, q, n)) { answered++; via_tcp++; }
        double next = start + asked / (double)rate;
        while (now() < next) usleep(200);
    }
    printf("legit asked %ld answered %ld via_tcp %ld\n", asked, answered, via_tcp);
}

int main(int argc, char **argv) {
    if (argc < 11) { fprintf(stderr, "usage: flood SERVER PORT VICTIM_PREFIX VICTIMS RATE SECONDS QNAME QTYPE LEGIT_ADDR LEGIT_RATE\n"); return 2; }
    const char *server_ip = argv[1], *prefix = argv[3], *qname = argv[7], *legit_addr = argv[9];
    int port = atoi(argv[2]), victims = atoi(argv[4]), rate = atoi(argv[5]), qtype = atoi(argv[8]), legit_rate = atoi(argv[10]);
    double seconds = atof(argv[6]);
    if (victims < 1 || victims > 254 || rate < 1 || seconds <= 0 || seconds > 120) { fprintf(stderr, "flood: out of bounds\n"); return 2; }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) { legit(server_ip, port, legit_addr, legit_rate, seconds); fflush(stdout); _exit(0); }

    struct sockaddr_in server = address(server_ip, port);
    int *socks = malloc(victims * sizeof(int));
    for (int i = 0; i < victims; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "%s.%d", prefix, i + 1);
        socks[i] = bound(ip, SOCK_DGRAM);
        int big = 1 << 21;
        setsockopt(socks[i], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
        fcntl(socks[i], F_SETFL, O_NONBLOCK);
    }
    unsigned char q[512], r[4096];
    long sent = 0, sent_bytes = 0, replies = 0, reply_bytes = 0, truncated = 0;
    double start = now(), end = start + seconds;
    while (now() < end) {
        /* Send what the schedule says is due, then drain every victim's socket. */
        long due = (long)((now() - start) * rate);
        for (; sent < due; sent++) {
            int n = build(q, (unsigned short)sent, qname, qtype, 1);
            if (sendto(socks[sent % victims], q, n, 0, (struct sockaddr *)&server, sizeof server) == n) sent_bytes += n;
        }
        for (int i = 0; i < victims; i++) {
            int m;
            while ((m = recv(socks[i], r, sizeof r, 0)) > 0) { replies++; reply_bytes += m; if (m >= 3 && (r[2] & 0x02)) truncated++; }
        }
        usleep(100);
    }
    double drain = now() + 1.0;
    while (now() < drain) {
        for (int i = 0; i < victims; i++) {
            int m;
            while ((m = recv(socks[i], r, sizeof r, 0)) > 0) { replies++; reply_bytes += m; if (m >= 3 && (r[2] & 0x02)) truncated++; }
        }
        usleep(1000);
    }
    printf("flood sent %ld bytes %ld replies %ld bytes %ld truncated %ld\n", sent, sent_bytes, replies, reply_bytes, truncated);
    fflush(stdout);
    waitpid(child, NULL, 0);
    return 0;
}
