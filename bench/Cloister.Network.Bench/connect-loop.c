// A tight TCP connect loop across network namespaces, for router-ab.sh (build: gcc -O2 -o connect-loop connect-loop.c).
//   connect-loop serve NAMESPACE ADDRESS PORT
//       Listens in the namespace and accepts in batches every 2 ms, so that no server wake-up lands inside a
//       measured connect (the same for every path).
//   connect-loop probe CONNECTS ROUNDS NAMESPACE,DESTINATION,PORT ...
//       Interleaves the paths: each round runs CONNECTS connects (SYN to established, socket creation excluded) per
//       path, from a socket created in that path's namespace; one discarded warm-up round first. Prints each path's
//       median, p10 and p90 in microseconds and its median over the first path's.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PATHS 16

static int open_namespace(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        perror(path);
        exit(1);
    }
    return fd;
}

static struct sockaddr_in address_of(const char *text, int port)
{
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
    if (inet_pton(AF_INET, text, &address.sin_addr) != 1) {
        fprintf(stderr, "bad address %s\n", text);
        exit(2);
    }
    return address;
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int serve(char **argv)
{
    if (setns(open_namespace(argv[2]), CLONE_NEWNET) < 0) {
        perror("setns");
        return 1;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = address_of(argv[3], atoi(argv[4]));
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        perror("listen");
        return 1;
    }
    fcntl(listener, F_SETFL, O_NONBLOCK);
    for (;;) {
        int connection;
        while ((connection = accept(listener, NULL, NULL)) >= 0) {
            close(connection);
        }
        usleep(2000);
    }
}

static int probe(int argc, char **argv)
{
    int connects = atoi(argv[2]), rounds = atoi(argv[3]), paths = argc - 4;
    if (paths < 1 || paths > MAX_PATHS || connects < 1 || rounds < 1) {
        fprintf(stderr, "usage: connect-loop probe CONNECTS ROUNDS NAMESPACE,DESTINATION,PORT ...\n");
        return 2;
    }
    int namespaces[MAX_PATHS];
    struct sockaddr_in targets[MAX_PATHS];
    double *samples[MAX_PATHS];
    for (int i = 0; i < paths; i++) {
        char *spec = strdup(argv[4 + i]);
        char *name = strtok(spec, ","), *destination = strtok(NULL, ","), *port = strtok(NULL, ",");
        if (name == NULL || destination == NULL || port == NULL) {
            fprintf(stderr, "bad path %s\n", argv[4 + i]);
            return 2;
        }
        namespaces[i] = open_namespace(name);
        targets[i] = address_of(destination, atoi(port));
        samples[i] = malloc(sizeof(double) * connects * rounds);
    }
    for (int round = -1; round < rounds; round++) {
        for (int i = 0; i < paths; i++) {
            if (setns(namespaces[i], CLONE_NEWNET) < 0) {
                perror("setns");
                return 1;
            }
            for (int k = 0; k < connects; k++) {
                int s = socket(AF_INET, SOCK_STREAM, 0);
                double start = now_us();
                if (connect(s, (struct sockaddr *)&targets[i], sizeof targets[i]) < 0) {
                    perror(argv[4 + i]);
                    return 1;
                }
                double elapsed = now_us() - start;
                close(s);
                if (round >= 0) {
                    samples[i][round * connects + k] = elapsed;
                }
            }
        }
    }
    int n = connects * rounds;
    double first = 0;
    for (int i = 0; i < paths; i++) {
        qsort(samples[i], n, sizeof(double), compare);
        double median = samples[i][n / 2];
        if (i == 0) {
            first = median;
        }
        printf("%-44s median %6.2f us  p10 %6.2f  p90 %6.2f  %.3fx\n", argv[4 + i], median, samples[i][n / 10], samples[i][n * 9 / 10], median / first);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "serve") == 0) {
        return serve(argv);
    }
    if (argc >= 5 && strcmp(argv[1], "probe") == 0) {
        return probe(argc, argv);
    }
    fprintf(stderr, "usage: connect-loop serve NAMESPACE ADDRESS PORT | probe CONNECTS ROUNDS NAMESPACE,DESTINATION,PORT ...\n");
    return 2;
}
