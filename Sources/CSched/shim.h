// Linux's CPU-affinity system calls, which Swift's Glibc module leaves out (glibc declares its
// wrappers only under _GNU_SOURCE, and defining that here would change system types such as
// fd_set under other modules' feet). So the calls go through syscall(2), with no feature macro.
// A CPU set crosses to Swift as ORGBATCH_CPU_SET_WORDS 64-bit words, CPU n being bit n % 64 of
// word n / 64: the kernel's own layout on 64-bit Linux. Elsewhere every call fails with ENOSYS.
#ifndef ORGBATCH_CSCHED_SHIM_H
#define ORGBATCH_CSCHED_SHIM_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/// 1,024 CPUs, as glibc's cpu_set_t.
#define ORGBATCH_CPU_SET_WORDS 16

#if defined(__linux__) && UINTPTR_MAX == UINT64_MAX
#include <sys/syscall.h>
#include <unistd.h>

/// The CPUs thread `tid` (0: the caller) may run on, into `words`. 0, or -1 and errno.
static inline int orgbatch_sched_getaffinity(pid_t tid, uint64_t *words) {
    memset(words, 0, ORGBATCH_CPU_SET_WORDS * sizeof(uint64_t));
    // The raw call returns how many bytes of the mask it wrote.
    long written = syscall(SYS_sched_getaffinity, tid, ORGBATCH_CPU_SET_WORDS * sizeof(uint64_t), words);
    return written < 0 ? -1 : 0;
}

/// Lets thread `tid` (0: the caller) run only on the CPUs in `words`. 0, or -1 and errno.
static inline int orgbatch_sched_setaffinity(pid_t tid, const uint64_t *words) {
    return (int)syscall(SYS_sched_setaffinity, tid, ORGBATCH_CPU_SET_WORDS * sizeof(uint64_t), words);
}

/// The CPU the caller is running on, or -1 and errno.
static inline int orgbatch_sched_getcpu(void) {
    unsigned cpu = 0;
    return syscall(SYS_getcpu, &cpu, NULL, NULL) < 0 ? -1 : (int)cpu;
}
#else
static inline int orgbatch_sched_getaffinity(pid_t tid, uint64_t *words) {
    (void)tid;
    memset(words, 0, ORGBATCH_CPU_SET_WORDS * sizeof(uint64_t));
    errno = ENOSYS;
    return -1;
}
static inline int orgbatch_sched_setaffinity(pid_t tid, const uint64_t *words) {
    (void)tid;
    (void)words;
    errno = ENOSYS;
    return -1;
}
static inline int orgbatch_sched_getcpu(void) {
    errno = ENOSYS;
    return -1;
}
#endif

#endif
