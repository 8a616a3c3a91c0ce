// Linux's CPU-affinity calls, which Swift's Glibc module leaves out: glibc declares them only
// under _GNU_SOURCE, and CPU_SET and friends are macros. A CPU set crosses to Swift as
// ORGBATCH_CPU_SET_WORDS 64-bit words, CPU n being bit n % 64 of word n / 64 (as CPU_SET sets it).
// Elsewhere the calls fail with ENOSYS.
#ifndef ORGBATCH_CSCHED_SHIM_H
#define ORGBATCH_CSCHED_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <sys/types.h>

#define ORGBATCH_CPU_SET_WORDS 16

#ifdef __linux__
#include <sched.h>
#include <unistd.h>

_Static_assert(sizeof(cpu_set_t) == ORGBATCH_CPU_SET_WORDS * sizeof(uint64_t), "cpu_set_t is 1,024 bits");

/// The CPUs thread `tid` (0: the caller) may run on, into `words`. 0, or -1 and errno.
static inline int orgbatch_sched_getaffinity(pid_t tid, uint64_t *words) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(tid, sizeof set, &set) != 0) return -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &set)) words[cpu / 64] |= UINT64_C(1) << (cpu % 64);
    }
    return 0;
}

/// Lets thread `tid` (0: the caller) run only on the CPUs in `words`. 0, or -1 and errno.
static inline int orgbatch_sched_setaffinity(pid_t tid, const uint64_t *words) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (words[cpu / 64] & (UINT64_C(1) << (cpu % 64))) CPU_SET(cpu, &set);
    }
    return sched_setaffinity(tid, sizeof set, &set);
}

/// The CPU the caller is running on, or -1 and errno.
static inline int orgbatch_sched_getcpu(void) { return sched_getcpu(); }

/// The caller's thread id (the kernel's, as /proc/self/task lists it).
static inline pid_t orgbatch_gettid(void) { return gettid(); }
#else
static inline int orgbatch_sched_getaffinity(pid_t tid, uint64_t *words) { (void)tid; (void)words; errno = ENOSYS; return -1; }
static inline int orgbatch_sched_setaffinity(pid_t tid, const uint64_t *words) { (void)tid; (void)words; errno = ENOSYS; return -1; }
static inline int orgbatch_sched_getcpu(void) { errno = ENOSYS; return -1; }
static inline pid_t orgbatch_gettid(void) { return 0; }
#endif

#endif
