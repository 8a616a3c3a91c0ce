/*
 * The least a client of orgbatch's shape can cost: THREADS threads, one libcurl easy handle
 * each, sending the same PutAlternateContact request (headers of the same size, a fixed
 * Authorization) REQUESTS times, the answers discarded. No signing, no JSON, no report, no
 * scheduling: what is left is libcurl's work and the kernel's. bench.py compares orgbatch's
 * CPU per 1,000 requests with this.
 *
 *     curl_floor URL AUTHORIZATION-HEADER ACCOUNT-ID THREADS REQUESTS-PER-THREAD [CPUS [RATE]]
 *
 * CPUS is 1 (the default) or all. With 1 the threads run on the CPU the program started on, as
 * orgbatch keeps its threads by default (--cpus 1); with all, wherever the kernel puts them.
 *
 * RATE (requests per second over all threads; 0, the default, sends each request as soon as its
 * thread is free) paces the requests as orgbatch paces them under a configured rate limit: each
 * thread takes the next slot, sleeps until its time, then sends. It is S2's floor: at 100
 * requests/s every request costs a second wake-up, for any client.
 *
 * Exits 3 when an answer was not 2xx: the floor is measured on requests that succeed.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *url;
static const char *authorization;
static char body[512];
static int per_thread;
static atomic_int failures;
static double rate;
static atomic_long next_slot;
static struct timespec start;

/* Sleeps until the next free slot of `rate` per second, counted from `start`. */
static void wait_for_slot(void) {
    long slot = atomic_fetch_add(&next_slot, 1);
    long long at = start.tv_nsec + (long long)(slot * 1e9 / rate);
    struct timespec when = {.tv_sec = start.tv_sec + (time_t)(at / 1000000000LL), .tv_nsec = (long)(at % 1000000000LL)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL) == EINTR) {
    }
}

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data;
    (void)user;
    return size * count;
}

static void *worker(void *unused) {
    (void)unused;
    CURL *handle = curl_easy_init();
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "X-Amz-Date: 20261125T000000Z");
    headers = curl_slist_append(headers, authorization);
    headers = curl_slist_append(headers, "User-Agent: orgbatch/0.1.0");
    headers = curl_slist_append(headers, "Expect:");
    headers = curl_slist_append(headers, "Accept:");
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, 4096L);
    curl_easy_setopt(handle, CURLOPT_PROXY, "");  /* loopback: no proxy from the environment */
    for (int i = 0; i < per_thread; i++) {
        if (rate > 0) wait_for_slot();
        curl_easy_setopt(handle, CURLOPT_URL, url);
        CURLcode code = curl_easy_perform(handle);
        if (code != CURLE_OK) {
            fprintf(stderr, "curl_floor: %s\n", curl_easy_strerror(code));
            exit(1);
        }
        long status = 0;
        curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status > 299) atomic_fetch_add(&failures, 1);
    }
    curl_easy_cleanup(handle);
    curl_slist_free_all(headers);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 6 || argc > 8) {
        fprintf(stderr, "usage: curl_floor URL AUTHORIZATION-HEADER ACCOUNT-ID THREADS REQUESTS-PER-THREAD [1|all [RATE]]\n");
        return 2;
    }
    const char *cpus = argc >= 7 ? argv[6] : "1";
    rate = argc == 8 ? atof(argv[7]) : 0;
    if (rate < 0) {
        fprintf(stderr, "curl_floor: RATE is 0 or more requests per second\n");
        return 2;
    }
    if (strcmp(cpus, "1") != 0 && strcmp(cpus, "all") != 0) {
        fprintf(stderr, "curl_floor: CPUS is 1 or all\n");
        return 2;
    }
    if (strcmp(cpus, "1") == 0) {
        /* Before any thread starts: they inherit the main thread's CPU. */
        int cpu = sched_getcpu();
        cpu_set_t one;
        CPU_ZERO(&one);
        if (cpu >= 0) CPU_SET(cpu, &one);
        if (cpu < 0 || sched_setaffinity(0, sizeof one, &one) != 0) {
            perror("curl_floor: keeping the threads on one CPU");
            return 1;
        }
    }
    url = argv[1];
    authorization = argv[2];
    snprintf(body, sizeof body,
             "{\"AccountId\":\"%s\",\"AlternateContactType\":\"SECURITY\",\"EmailAddress\":\"x@example.com\","
             "\"Name\":\"N SECURITY\",\"PhoneNumber\":\"+1 1\",\"Title\":\"T\"}",
             argv[3]);
    int threads = atoi(argv[4]);
    per_thread = atoi(argv[5]);
    if (threads < 1 || threads > 256 || per_thread < 1) return 2;
    curl_global_init(CURL_GLOBAL_ALL);
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t ids[256];
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    curl_global_cleanup();
    int failed = atomic_load(&failures);
    if (failed > 0) {
        fprintf(stderr, "curl_floor: %d answers were not 2xx\n", failed);
        return 3;
    }
    return 0;
}
